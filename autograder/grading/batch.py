"""Grading many submissions: in parallel, resumable, and never stopped by one bad submission.

Each student's ``result.json`` is written atomically once that student is done, with the content
fingerprint of what was graded, in the student's folder (``files.student_folder``: never one of the
batch's own files, never another student's). Rerunning the same command after an interruption skips
every student whose result matches their name and files and grades the rest, so each is graded
exactly once; a changed submission is regraded. The gradebook files are rebuilt from all results at
the end.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder.errors import BadSubmission
from autograder.grading.grade import grade_submission
from autograder.grading.reference import ComputedReference, fingerprint_text
from autograder.grading.submissions import Submission
from autograder.results import CheckResult, ExerciseResult, GradingResult, files
from autograder.spec import ALL, Exercise


@dataclass
class BatchOutcome:
    results: list[GradingResult]
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def grade_batch(submissions: list[Submission], exercises: list[Exercise], out: Path, reference: ComputedReference,
                *, workers: int = 1, on_start: Callable[[str], None] | None = None,
                on_done: Callable[[GradingResult, bool], None] | None = None) -> BatchOutcome:
    started = time.monotonic()
    for exercise in exercises:  # measure the reference once, before threads would race to do it
        reference.observations(exercise, exercise.cases)
    outcome = BatchOutcome([])
    todo: list[tuple[Submission, str]] = []
    grader = reference.version(exercises)
    done: dict[str, GradingResult] = {}
    for submission in submissions:
        # Regrade when the student's files or anything that decides grades has changed.
        fingerprint = fingerprint_text(submission.fingerprint() + grader)
        previous = files.read_submission(out / files.student_folder(submission.name))
        if previous is not None and _still_valid(previous, submission, fingerprint, exercises):
            done[submission.name] = previous
            outcome.skipped.append(submission.name)
            if on_done:
                on_done(previous, True)
        else:
            todo.append((submission, fingerprint))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_grade_one, submission, fingerprint, exercises, reference, on_start): submission
                   for submission, fingerprint in todo}
        for future in as_completed(futures):
            submission = futures[future]
            result = future.result()
            files.write_submission(result, out / files.student_folder(submission.name))
            done[submission.name] = result
            outcome.graded.append(submission.name)
            if on_done:
                on_done(result, False)

    outcome.results = [done[s.name] for s in submissions if s.name in done]
    files.write_gradebook(outcome.results, exercises, out)
    outcome.seconds = time.monotonic() - started
    return outcome


def _still_valid(previous: GradingResult, submission: Submission, fingerprint: str,
                 exercises: list[Exercise]) -> bool:
    return (previous.submission == submission.name and previous.fingerprint == fingerprint
            and previous.visibility == "all"
            and [e.exercise for e in previous.exercises] == [e.id for e in exercises])


def _grade_one(submission: Submission, fingerprint: str, exercises: list[Exercise], reference: ComputedReference,
               on_start: Callable[[str], None] | None) -> GradingResult:
    if on_start:
        on_start(submission.name)
    try:
        with submission.folder() as folder:
            result = grade_submission(folder, exercises, ALL, reference)
    except BadSubmission as exc:
        result = GradingResult(submission.name, [_unopenable(e, str(exc)) for e in exercises], "all")
    except (OSError, RecursionError) as exc:  # e.g. a tree too deep to walk: this student's problem only
        message = f"the submission could not be read: {type(exc).__name__}: {exc}"
        result = GradingResult(submission.name, [_unopenable(e, message) for e in exercises], "all")
    result.submission = submission.name
    result.fingerprint = fingerprint
    return result


def _unopenable(exercise: Exercise, message: str) -> ExerciseResult:
    checks = [CheckResult(exercise.id, f"{case.name}.{check.id}", check.kind, case.name, check.title, 0.0,
                          check.points, False, message, case.visibility)
              for case in exercise.cases for check in exercise.checks_for(case)]
    return ExerciseResult(exercise.id, exercise.title, "error", checks, message)

"""Grading many submissions: in parallel, resumable, and never stopped by one bad submission.

Each student's ``result.json`` is written atomically once that student is done, with the content
fingerprint of what was graded, in the student's folder (``files.student_folder``: never one of the
batch's own files, never another student's). Rerunning the same command after an interruption skips
every student whose result matches their name and files and grades the rest, so each is graded
exactly once. A changed submission is regraded incrementally: an exercise is graded again only when
what decides it changed (``exercise_fingerprint``: its file, the student's other Python files it may
import, its spec, reference and the grader's code); the others keep their results. The gradebook
files and the instructor's overview (``index.html``) are rebuilt from all results at the end.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import BadSubmission
from autograder.grading import cluster
from autograder.grading.cluster import WorkerContext, WorkerMismatch
from autograder.grading.grade import MAX_SOURCE_BYTES, grade_submission
from autograder.grading.reference import ComputedReference, fingerprint_text
from autograder.grading.submissions import EXERCISE_FILE, Submission, python_files
from autograder.results import CheckResult, ExerciseResult, GradingResult, files, overview
from autograder.spec import ALL, Exercise


@dataclass
class BatchOutcome:
    results: list[GradingResult]
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # not graded, no file written (a rerun grades them): why
    seconds: float = 0.0


@dataclass(frozen=True)
class StudentJob:
    """One student to grade: what a worker thread, or a Dask worker, receives (it pickles)."""

    submission: Submission
    fingerprint: str
    previous: GradingResult | None = None


def grade_batch(submissions: list[Submission], exercises: list[Exercise], out: Path, reference: ComputedReference,
                *, workers: int = 1, on_start: Callable[[str], None] | None = None,
                on_done: Callable[[GradingResult, bool], None] | None = None,
                remote: Callable[[WorkerContext], Executor] | None = None,
                data_key: str | None = None) -> BatchOutcome:
    """Grade ``submissions`` into ``out``: in ``workers`` threads of this process, or on the executor that
    ``remote`` makes for a ``WorkerContext`` (Dask workers, see ``grading.cluster``), whose workers load
    under ``data_key``. Either way each student's files are written here, as their result comes back."""
    started = time.monotonic()
    for exercise in exercises:  # measure the reference once, before threads would race to do it
        reference.observations(exercise, exercise.cases)
    outcome = BatchOutcome([])
    todo: list[StudentJob] = []
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
            todo.append(StudentJob(submission, fingerprint, previous))

    if remote is None:
        executor, task, extra = ThreadPoolExecutor(max_workers=max(1, workers)), _started, (on_start, exercises,
                                                                                             reference)
    else:
        context = WorkerContext(grader, tuple(e.id for e in exercises), data_key, str(Path(out).resolve()))
        executor, task, extra = remote(context), grade_remotely, (context,)
    with executor:
        futures = {executor.submit(task, job, *extra): job.submission for job in todo}
        for future in as_completed(futures):
            submission = futures[future]
            try:
                result = future.result()
            except WorkerMismatch:
                raise
            except Exception as exc:  # noqa: BLE001  e.g. its Dask worker kept dying: the next run grades it
                outcome.failed[submission.name] = f"{type(exc).__name__}: {exc}"
                continue
            files.write_submission(result, out / files.student_folder(submission.name))
            done[submission.name] = result
            outcome.graded.append(submission.name)
            if on_done:
                on_done(result, False)

    outcome.results = [done[s.name] for s in submissions if s.name in done]
    files.write_gradebook(outcome.results, exercises, out)
    overview.write(outcome.results, out)
    outcome.seconds = time.monotonic() - started
    return outcome


def _still_valid(previous: GradingResult, submission: Submission, fingerprint: str,
                 exercises: list[Exercise]) -> bool:
    return (previous.submission == submission.name and previous.fingerprint == fingerprint
            and previous.visibility == "all"
            and [e.exercise for e in previous.exercises] == [e.id for e in exercises])


def _started(job: StudentJob, on_start: Callable[[str], None] | None, exercises: list[Exercise],
             reference: ComputedReference) -> GradingResult:
    if on_start:
        on_start(job.submission.name)
    return grade_student(job, exercises, reference)


def grade_remotely(job: StudentJob, context: WorkerContext) -> GradingResult:
    """On a Dask worker (``grading.cluster``): one student, graded as ``_started`` grades them here."""
    reference, exercises = cluster.prepared(context)
    cluster.report_start(job.submission.name)
    return grade_student(job, exercises, reference)


def grade_student(job: StudentJob, exercises: list[Exercise], reference: ComputedReference) -> GradingResult:
    """One student's result, every exercise in it: a submission that cannot be opened fails them all."""
    submission, previous = job.submission, job.previous
    try:
        with submission.folder() as folder:
            result = _graded_incrementally(folder, exercises, reference, previous)
    except BadSubmission as exc:
        result = GradingResult(submission.name, [_unopenable(e, str(exc)) for e in exercises], "all")
    except (OSError, RecursionError) as exc:  # e.g. a tree too deep to walk: this student's problem only
        message = f"the submission could not be read: {type(exc).__name__}: {exc}"
        result = GradingResult(submission.name, [_unopenable(e, message) for e in exercises], "all")
    result.submission = submission.name
    result.fingerprint = job.fingerprint
    return result


def _graded_incrementally(folder: Path, exercises: list[Exercise], reference: ComputedReference,
                          previous: GradingResult | None) -> GradingResult:
    """Every exercise, graded again only where its fingerprint differs from the previous result's."""
    helpers = helpers_fingerprint(folder)  # once per submission, not once per exercise
    prints = {exercise.id: exercise_fingerprint(folder, exercise, reference, helpers) for exercise in exercises}
    kept = {e.exercise: e for e in (previous.exercises if previous and previous.visibility == "all" else [])
            if e.fingerprint and e.fingerprint == prints.get(e.exercise)}
    changed = [exercise for exercise in exercises if exercise.id not in kept]
    fresh = grade_submission(folder, changed, ALL, reference).exercises if changed else []
    for result in fresh:
        result.fingerprint = prints[result.exercise]
    by_id = {**kept, **{result.exercise: result for result in fresh}}
    return GradingResult(folder.name, [by_id[exercise.id] for exercise in exercises], "all")


def exercise_fingerprint(folder: Path, exercise: Exercise, reference: ComputedReference, helpers: str) -> str:
    """A hash of what decides one exercise's grade: its file, the submission's helper files (``helpers``,
    from ``helpers_fingerprint``), and the reference's cache file name, which changes with the solution,
    the spec, the kit's measuring code, the libraries and the data key."""
    own = _files_fingerprint(folder, [folder / exercise.filename])
    return hashlib.sha256(f"{exercise.id}|{reference.cache_file(exercise).name}|{own}|{helpers}".encode()).hexdigest()


def helpers_fingerprint(folder: Path) -> str:
    """Every Python file of the submission that is no exercise file: a helper any exercise may import."""
    return _files_fingerprint(folder, sorted(p for p in python_files(folder) if not EXERCISE_FILE.fullmatch(p.name)))


def _files_fingerprint(folder: Path, paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(b"\0" + str(path.relative_to(folder)).encode() + b"\0")
        if path.is_symlink() or not path.is_file():
            digest.update(b"<symlink>" if path.is_symlink() else b"<missing>")
        else:
            digest.update(path.read_bytes()[:MAX_SOURCE_BYTES + 1])
    return digest.hexdigest()


def _unopenable(exercise: Exercise, message: str) -> ExerciseResult:
    checks = [CheckResult(exercise.id, f"{case.name}.{check.id}", check.kind, case.name, check.title, 0.0,
                          check.points, False, message, case.visibility)
              for case in exercise.cases for check in exercise.checks_for(case)]
    return ExerciseResult(exercise.id, exercise.title, "error", checks, message)

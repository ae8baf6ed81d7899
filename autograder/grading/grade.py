"""Deciding points: compare each case's observations with the reference's and award each check.

This process never imports TensorFlow and never runs student code: it reads what ``grading.runs``
measured in children and decides here.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from autograder import sandbox
from autograder.errors import ReferenceFailure
from autograder.grading import misconceptions, notebook_source, runs
from autograder.grading.reference import Reference
from autograder.results import CheckResult, ExerciseResult, GradingResult
from autograder.sandbox import scratch
from autograder.spec import HIDDEN, Case, Check, Exercise, Visibilities

MAX_SOURCE_BYTES = 1024 * 1024  # an exercise file is a few KB; more is data or an attack, not code


def grade_exercise(exercise: Exercise, source: Path | None, visibilities: Visibilities,
                   reference: Reference, measure_once: bool = False,
                   deadline: runs.Deadline | None = None) -> ExerciseResult:
    """``measure_once``: see ``run_and_measure``; ``deadline``: the submission's (see ``runs.Deadline``)."""
    started = time.monotonic()
    cases = exercise.cases_for(visibilities)
    message = _refusal(exercise, source)
    if message:
        return ExerciseResult(exercise.id, exercise.title, "error",
                              [_failed(exercise, case, check, message) for case in cases
                               for check in exercise.checks_for(case)], message, time.monotonic() - started)
    expected = reference.observations(exercise, cases)
    workdir = Path(scratch.mkdtemp(prefix=f"tfgrade-{exercise.id}-"))
    try:
        ran = runs.run_and_measure(exercise, source, cases, workdir, reference=expected, measure_once=measure_once,
                                   deadline=deadline)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results = [_decide(exercise, ran[case.name], check, expected[case.name])
               for case in cases for check in exercise.checks_for(case)]
    status = "error" if all(ran[case.name].failure for case in cases) else "graded"
    # The exercise's message is the first case's failure: public cases come first, so a message a
    # student reads never comes from a hidden case.
    message = ran[cases[0].name].failure if status == "error" else ""
    details = {case.name: _details(exercise, case, ran[case.name], expected[case.name]) for case in cases}
    result = ExerciseResult(exercise.id, exercise.title, status, results, message, time.monotonic() - started, details)
    result.misconception = misconceptions.name(exercise, result, visibilities)
    return result


def _refusal(exercise: Exercise, source: Path | None) -> str | None:
    """Why an exercise file is not run at all, if it is not."""
    if source is None or not (source.is_file() or source.is_symlink()):
        notebooks = None if source is None else notebook_source.origin(source.parent)
        if notebooks is not None:  # a notebook submission: name the notebook and the student's folder
            notebook = notebooks / f"{exercise.module_name}.ipynb"
            return f"{notebook.name} was not found in the submission" + _near(notebook)
        return f"{exercise.filename} was not found in the submission" + ("" if source is None else _near(source))
    if source.is_symlink():  # it could point at anything, the reference solution included
        return f"{exercise.filename} is a symbolic link, which the grader never follows: submit the file itself"
    size = source.stat().st_size
    if size > MAX_SOURCE_BYTES:
        return (f"{exercise.filename} holds {size / 2**20:.1f} MB, more than the {MAX_SOURCE_BYTES // 2**20} MB "
                "an exercise file may hold")
    return None


def grade_submission(submission: Path, exercises: list[Exercise], visibilities: Visibilities,
                     reference: Reference,
                     on_exercise: Callable[[ExerciseResult], None] | None = None,
                     budget_seconds: float | None = None) -> GradingResult:
    """Grade every exercise of one submission, reporting each (in order) as soon as it is decided.

    Exercises are graded side by side: the sandbox's slots still cap how many children run at once,
    and no core waits while one exercise's last case finishes. With several exercises, each is measured
    in one child (2 s less work for the 20 solutions here: 6.2-6.9 s of measuring instead of 8.2-8.8 s);
    one alone keeps a measuring child per core, which answers `tfgrade check` sooner.

    All the exercises share one time budget, ``budget_seconds`` (``runs.budget_seconds()`` by default:
    20 minutes, or ``TFGRADE_BUDGET``): once it is spent, the cases still running are stopped, those
    not yet run fail with a message saying so, and exercises already graded keep their points."""
    graded = []
    measure_once = len(exercises) > 1
    deadline = runs.Deadline(runs.budget_seconds() if budget_seconds is None else budget_seconds)
    with ThreadPoolExecutor(max_workers=sandbox.slots()) as pool:
        futures = [pool.submit(grade_exercise, exercise, _source_for(submission, exercise), visibilities, reference,
                               measure_once, deadline) for exercise in exercises]
        for future in futures:
            graded.append(future.result())
            if on_exercise:
                on_exercise(graded[-1])
    return GradingResult(submission.name, graded, "all" if HIDDEN in visibilities else "public")


def _source_for(submission: Path, exercise: Exercise) -> Path:
    return submission / exercise.filename


def _near(missing: Path) -> str:
    """`` (searched /home/ada/assignments; found ex6_conv2d.py, not ex06_conv2d.py)``: where the file was
    looked for, and a file there whose name is close, such as one a student renamed."""
    import difflib

    try:
        names = sorted(entry.name for entry in missing.parent.iterdir() if entry.suffix in (".py", ".ipynb"))
    except OSError:
        names = []
    close = difflib.get_close_matches(missing.name, names, n=1, cutoff=0.7)
    found = f"; found {close[0]}, not {missing.name}" if close else ""
    return f" (searched {missing.parent}{found})"


def _decide(exercise: Exercise, run: runs.CaseRun, check: Check, expected: dict[str, Any]) -> CheckResult:
    if run.failure:
        return _failed(exercise, run.case, check, run.failure)
    key = check.observation.key
    reference = expected.get(key, {})
    if "value" not in reference:
        raise ReferenceFailure(f"{exercise.id} {run.case.name}: the reference has no {key}: {reference.get('error')}")
    observed = run.observations.get(key, {"error": "not measured"})
    if "value" not in observed:
        return _failed(exercise, run.case, check, f"could not measure {check.title}: {observed.get('error')}")
    try:
        verdict = check.compare(observed["value"], reference["value"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return _failed(exercise, run.case, check, f"could not compare {check.title}: {type(exc).__name__}: {exc}")
    return CheckResult(exercise.id, f"{run.case.name}.{check.id}", check.kind, run.case.name, check.title,
                       check.points if verdict.passed else 0.0, check.points, verdict.passed, verdict.message,
                       run.case.visibility)


def _failed(exercise: Exercise, case: Case, check: Check, message: str) -> CheckResult:
    return CheckResult(exercise.id, f"{case.name}.{check.id}", check.kind, case.name, check.title, 0.0,
                       check.points, False, message, case.visibility)


def _details(exercise: Exercise, case: Case, run: runs.CaseRun, expected: dict[str, Any]) -> dict[str, Any]:
    """What feedback shows beside the checks: both models, both learning curves."""
    def pick(observations: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, observed in observations.items():
            value = observed.get("value") if isinstance(observed, dict) else None
            if key == "summary" and isinstance(value, dict):
                out["summary"] = value
            elif isinstance(value, dict) and "history" in value:
                out.setdefault("curves", {})[key] = value["history"]
            elif key == "history" and isinstance(value, dict):
                out.setdefault("curves", {})[key] = value
        return out

    return {"call": case.call_str(exercise.function_of(case).name), "visibility": case.visibility,
            "failure": run.failure, "student": pick(run.observations), "reference": pick(expected)}


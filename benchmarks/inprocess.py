"""Grading without isolation, in one warm process: the benchmark's floor and its nbgrader stand-in.

The same cases and measurements as ``tfgrade grade`` (the kit's own ``run.run_case`` and
``measure.measure_runs``, with the cached reference observations), but called directly instead of in
forked children. A clock around Keras' ``Model.fit`` / ``evaluate`` / ``predict`` and the grader's own
``observations.predictions`` (its stand-in for ``predict``) separates the time spent training and
evaluating models (the floor no grader can go below) from everything else.

This module imports TensorFlow: run it in its own process (``python benchmarks/inprocess.py``) or
in a Jupyter kernel, never in the grading process, which must be able to fork safely.

    python benchmarks/inprocess.py --exercise ex02 --out floor.json [--submission DIR] [--public] [--no-reuse]
    python benchmarks/inprocess.py --batch DIR --out floor.json     # every submission folder in DIR, one process

``--batch`` is the floor of a whole batch (``benchmarks/grading.py``'s realistic batch): each folder of DIR,
in name order, graded in this one process, the reference's observations read once per exercise.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMPUTE_METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")


class ComputeClock:
    """Seconds spent inside Keras' training and evaluation methods and the grader's predictions. Only the
    outermost call counts: ``fit`` runs ``evaluate`` for its validation data."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def install(self) -> "ComputeClock":
        import keras

        from autograder.measure import observations

        for name in COMPUTE_METHODS:
            setattr(keras.Model, name, self._timed(getattr(keras.Model, name)))
        observations.predictions = self._timed(observations.predictions)  # accuracy() looks it up at call time
        return self

    def _timed(self, method: Any) -> Any:
        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds += time.perf_counter() - started
                    self.calls += 1
        return timed


def prepare_process() -> float:
    """Import TensorFlow and pin determinism as a grading child does; returns the import's seconds."""
    started = time.perf_counter()
    from autograder.sandbox import determinism, quiet

    quiet.set_quiet_environment()
    import tensorflow  # noqa: F401 - the import is what is timed

    import autograder.children.measure  # noqa: F401
    import autograder.children.run  # noqa: F401

    quiet.silence_python_loggers()
    determinism.configure_process()
    return time.perf_counter() - started


def grade_exercise(exercise: Any, source: Path, cases: tuple, expected: dict[str, Any],
                   clock: ComputeClock, reuse: bool = True) -> dict[str, Any]:
    """Run and measure every case of ``source`` here; the points decided as ``tfgrade grade`` does.
    ``reuse=False`` withholds the reference's values, so no measurement reuses them (worst case)."""
    from autograder.children import measure, run
    from autograder.grading.grade import _decide
    from autograder.grading.runs import CaseRun, case_call, case_measurements
    from autograder.sandbox import artifacts

    workdir = Path(tempfile.mkdtemp(prefix=f"tfgrade-inprocess-{exercise.id}-"))
    here = os.getcwd()
    runs: dict[str, dict[str, Any]] = {}
    timing = {"run": 0.0, "measure": 0.0, "compute_run": 0.0, "compute_measure": 0.0}
    try:
        for case in cases:
            run_dir = workdir / case.name
            run_dir.mkdir()
            os.chdir(run_dir)
            call = case_call(exercise, case, None)  # built by the grading process, outside the child
            with _phase(timing, clock, "run"):
                run.run_case(source=str(source.resolve()), call=call)
            if artifacts.read_result(run_dir)["status"] == "ok":
                runs[case.name] = {"run_dir": str(run_dir), **case_measurements(exercise, case, None),
                                   "reference": expected[case.name] if reuse else {}}
        measure_dir = workdir / "_measure"
        measure_dir.mkdir()
        os.chdir(measure_dir)
        with _phase(timing, clock, "measure"):
            measure.measure_runs(runs=runs)
        measured = artifacts.read_json(measure_dir / artifacts.OBSERVATIONS) if runs else {}
    finally:
        os.chdir(here)
        shutil.rmtree(workdir, ignore_errors=True)
    checks = [_decide(exercise, CaseRun(case, None if case.name in runs else "failed", measured.get(case.name, {})),
                      check, expected[case.name])
              for case in cases for check in exercise.checks_for(case)]
    return {"exercise": exercise.id, "cases": len(cases), **{k: round(v, 3) for k, v in timing.items()},
            "seconds": round(timing["run"] + timing["measure"], 3),
            "compute": round(timing["compute_run"] + timing["compute_measure"], 3),
            "score": sum(c.points for c in checks), "possible": sum(c.possible for c in checks)}


class _phase:
    """Adds a phase's wall seconds and the compute seconds spent inside it to ``timing``."""

    def __init__(self, timing: dict[str, float], clock: ComputeClock, name: str) -> None:
        self.timing, self.clock, self.name = timing, clock, name

    def __enter__(self) -> None:
        self.started, self.compute = time.perf_counter(), self.clock.seconds

    def __exit__(self, *exc: Any) -> None:
        self.timing[self.name] += time.perf_counter() - self.started
        self.timing[f"compute_{self.name}"] += self.clock.seconds - self.compute


def run(exercise_ids: list[str], submission: Path, public_only: bool = False, reuse: bool = True) -> dict[str, Any]:
    """Grade ``submission``'s exercises in this process; the reference's observations come from the
    course cache (warm it first, or this computes them through the sandbox)."""
    import_seconds = prepare_process()
    from autograder import exercises as registry
    from autograder.course import Course
    from autograder.grading.reference import ComputedReference
    from autograder.spec import ALL, PUBLIC_ONLY

    clock = ComputeClock().install()
    reference = ComputedReference(Course.locate())
    results = []
    for exercise in registry.select(exercise_ids):
        cases = exercise.cases_for(PUBLIC_ONLY if public_only else ALL)
        expected = reference.observations(exercise, cases)
        results.append(grade_exercise(exercise, submission / exercise.filename, cases, expected, clock, reuse))
    return {"import_seconds": round(import_seconds, 3), "exercises": results,
            "seconds": round(sum(r["seconds"] for r in results), 3),
            "compute": round(sum(r["compute"] for r in results), 3), "compute_calls": clock.calls}


def run_batch(exercise_ids: list[str], batch: Path, public_only: bool = False, reuse: bool = True) -> dict[str, Any]:
    """``run`` for every submission folder of ``batch`` (name order) in this one process: the floor of the
    whole batch, its TensorFlow import paid once and not counted."""
    import_seconds = prepare_process()
    from autograder import exercises as registry
    from autograder.course import Course
    from autograder.grading.reference import ComputedReference
    from autograder.spec import ALL, PUBLIC_ONLY

    clock = ComputeClock().install()
    reference = ComputedReference(Course.locate())
    chosen = [(e, e.cases_for(PUBLIC_ONLY if public_only else ALL)) for e in registry.select(exercise_ids or None)]
    expected = {e.id: reference.observations(e, cases) for e, cases in chosen}
    submissions = []
    for folder in sorted(p for p in batch.iterdir() if p.is_dir()):
        results = [grade_exercise(e, folder / e.filename, cases, expected[e.id], clock, reuse) for e, cases in chosen]
        submissions.append({"submission": folder.name, "seconds": round(sum(r["seconds"] for r in results), 3),
                            "compute": round(sum(r["compute"] for r in results), 3),
                            "score": sum(r["score"] for r in results), "possible": sum(r["possible"] for r in results),
                            "exercises": results})
    return {"import_seconds": round(import_seconds, 3), "submissions": submissions,
            "seconds": round(sum(s["seconds"] for s in submissions), 3),
            "compute": round(sum(s["compute"] for s in submissions), 3), "compute_calls": clock.calls}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", action="append", default=[], help="exercise to grade (repeatable; all if none)")
    parser.add_argument("--submission", type=Path, default=ROOT / "solutions")
    parser.add_argument("--batch", type=Path, default=None,
                        help="a folder of submission folders: grade each (instead of --submission)")
    parser.add_argument("--public", action="store_true", help="public cases only, as `tfgrade check`")
    parser.add_argument("--no-reuse", action="store_true", help="never reuse the reference's measurements")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON result")
    args = parser.parse_args(argv)
    if args.batch is not None:
        result = run_batch(args.exercise, args.batch.resolve(), args.public, reuse=not args.no_reuse)
    else:
        result = run(args.exercise, args.submission.resolve(), args.public, reuse=not args.no_reuse)
    args.out.write_text(json.dumps(result, indent=1))  # a file: student code may print to stdout
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

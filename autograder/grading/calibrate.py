"""Calibrate metric thresholds: ``python -m autograder.grading.calibrate [EXERCISE ...] [--seeds 5]``.

For every ``MetricAtLeast`` check, the reference solution is run and measured under several seeds
(data split, initialization, shuffling). A margin is sound when the reference's value at the grading
seed, less the margin, stays below its value at every seed (so an equivalent model that happens to be
initialized differently still passes) and above chance (so a broken model fails). The figures are
written to ``calibration/<exercise>.json``, which the test suite reads to hold the specs to them.
Where the course has a secret, every split is the secret's (as in ``tfgrade grade``), else the public one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

from autograder import exercises as registry
from autograder import sandbox
from autograder.course import Course, datasets, secret
from autograder.grading.runs import run_and_measure
from autograder.sandbox import quiet, scratch
from autograder.spec import Exercise, MetricAtLeast

CALIBRATION_DIR = "calibration"
SLACK = 0.01  # the margin must beat the worst seed by at least this much


def calibrate(exercise: Exercise, seeds: list[int], course: Course) -> dict:
    """Metric values of the reference per case and seed, with the verdict on each check's margin."""
    metric_checks = [check for check in exercise.checks if isinstance(check, MetricAtLeast)]
    cases = tuple(case for case in exercise.cases
                  if any(isinstance(check, MetricAtLeast) for check in exercise.checks_for(case)))
    source = course.solutions / exercise.filename
    values: dict[str, dict[str, dict[str, float]]] = {}
    for seed in [None, *seeds]:
        workdir = Path(scratch.mkdtemp(prefix=f"tfgrade-cal-{exercise.id}-"))
        try:
            runs = run_and_measure(exercise, source, cases, workdir, seed=seed)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        for name, run in runs.items():
            if run.failure:
                raise RuntimeError(f"{exercise.id} {name} seed {seed}: {run.failure}")
            for check in exercise.checks_for(exercise.case(name)):
                if isinstance(check, MetricAtLeast):
                    observed = run.observations[check.observation.key]
                    if "value" not in observed:
                        raise RuntimeError(f"{exercise.id} {name} seed {seed}: {observed['error']}")
                    label = "grading" if seed is None else f"seed {seed}"
                    values.setdefault(check.observation.key, {}).setdefault(name, {})[label] = round(
                        observed["value"]["metric"], 4)
    records = []
    for check in metric_checks:
        for case_name, by_seed in values.get(check.observation.key, {}).items():
            if check not in exercise.checks_for(exercise.case(case_name)):
                continue
            grading = by_seed["grading"]
            others = [v for k, v in by_seed.items() if k != "grading"]
            worst = min(others)
            chance = _chance(exercise, case_name, check.observation)
            records.append({
                "case": case_name, "observation": check.observation.key, "margin": check.margin,
                "grading_value": grading, "values": by_seed, "min": worst, "max": max(others),
                "mean": round(statistics.mean(others), 4), "stdev": round(statistics.pstdev(others), 4),
                "threshold": round(grading - check.margin, 4), "chance": chance,
                "needed_margin": round(max(0.0, grading - worst) + SLACK, 4),
                "sound": grading - check.margin <= worst - SLACK and grading - check.margin > chance,
            })
    return {"exercise": exercise.id, "seeds": seeds, "checks": records}


def _chance(exercise: Exercise, case_name: str, observation: object) -> float:
    """The accuracy of guessing uniformly among the dataset's classes: thresholds must sit above it."""
    recipe = getattr(observation, "recipe", None)
    dataset = recipe.dataset if recipe is not None else getattr(observation, "dataset", None)
    if dataset is None:
        return 0.5
    return round(1 / datasets.load(dataset, seed=exercise.case(case_name).seed).num_classes, 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.grading.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("exercises", nargs="*")
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds (0..N-1), at least 5")
    args = parser.parse_args(argv)
    quiet.set_quiet_environment()
    course = Course.locate()
    out = course.root / CALIBRATION_DIR
    out.mkdir(exist_ok=True)
    key, _ = secret.data_key(course)  # the data grades are measured on: the secret's, where there is one
    secret.forget_environment()  # before the forkserver starts: no child may see TFGRADE_SECRET
    print("calibrating on the data of the course secret" if key else "calibrating on the public data (no secret)")
    sandbox.warm_up()
    ok = True
    for exercise in registry.select(args.exercises):
        if not any(isinstance(c, MetricAtLeast) for c in exercise.checks):
            continue
        with datasets.keyed(key):
            result = calibrate(exercise, list(range(args.seeds)), course)
        (out / f"{exercise.module_name}.json").write_text(json.dumps(result, indent=2) + "\n")
        for record in result["checks"]:
            ok &= record["sound"]
            print(f"{exercise.id} {record['case']:<12} grading {record['grading_value']:.3f}  seeds "
                  f"{record['min']:.3f}..{record['max']:.3f}  margin {record['margin']:g} "
                  f"(needs {record['needed_margin']:g})  threshold {record['threshold']:.3f}  "
                  f"chance {record['chance']}  {'ok' if record['sound'] else 'NOT SOUND'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

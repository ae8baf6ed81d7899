"""Invariants every exercise specification must keep."""

import json

import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder.course import PACKAGE_DIR
from autograder.spec import HIDDEN, PUBLIC, MetricAtLeast, stubs

EXERCISES = registry.all_exercises()


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_specification_is_complete(exercise):
    assert exercise.task.strip() and exercise.keras3_notes.strip() and exercise.concept
    assert (COURSE.solutions / exercise.filename).is_file()
    visibilities = [case.visibility for case in exercise.cases]
    assert visibilities.count(PUBLIC) >= 1 and visibilities.count(HIDDEN) >= 2
    assert exercise.possible_points(frozenset({PUBLIC})) > 0
    names = {case.name for case in exercise.cases}
    for check in exercise.checks:
        assert set(check.cases or ()) <= names, f"{check.id} names unknown cases"
        assert any(check.applies_to(c.name, exercise.function_of(c).name) for c in exercise.cases), check.id
    for case in exercise.cases:
        assert exercise.checks_for(case), f"case {case.name} has no checks"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_hidden_cases_sit_inside_hidden_markers(exercise):
    source = (PACKAGE_DIR / "exercises" / exercise.filename).read_text()
    public_source = stubs.strip_hidden(source)
    for case in exercise.cases:
        if case.hidden:
            assert f'"{case.name}"' in source and f'"{case.name}"' not in public_source, case.name


def test_exercise_numbers_are_unique_and_ids_resolve():
    numbers = [e.number for e in EXERCISES]
    assert len(set(numbers)) == len(numbers)
    for exercise in EXERCISES:
        assert registry.select([str(exercise.number)]) == [exercise]
        assert registry.select([exercise.slug]) == [exercise] == registry.select([exercise.id])


def test_every_spelling_a_student_tries_finds_the_exercise_and_a_typo_gets_a_suggestion():
    conv = registry.get("ex06")
    for spelling in ("6", "06", "ex6", "ex06", "EX06", "conv2d", "ex06_conv2d", "ex06_conv2d.py"):
        assert registry.select([spelling]) == [conv], spelling
    with pytest.raises(LookupError, match=r"no exercise called 'erly_stoping'; did you mean ex09 \(early_stopping\)\?"):
        registry.select(["erly_stoping"])
    with pytest.raises(LookupError) as refused:
        registry.select(["quantum"])
    assert "did you mean" not in str(refused.value) and "known: ex01 (sequential)" in str(refused.value)


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if any(isinstance(c, MetricAtLeast) for c in e.checks)],
                         ids=lambda e: e.id)
def test_metric_margins_match_a_sound_calibration(exercise):
    path = COURSE.root / "calibration" / f"{exercise.module_name}.json"
    assert path.is_file(), f"run: python -m autograder.grading.calibrate {exercise.number}"
    records = json.loads(path.read_text())["checks"]
    assert len(json.loads(path.read_text())["seeds"]) >= 5
    for check in exercise.checks:
        if not isinstance(check, MetricAtLeast):
            continue
        cases = [c.name for c in exercise.cases if check in exercise.checks_for(c)]
        for case in cases:
            record = next((r for r in records if r["case"] == case and r["observation"] == check.observation.key),
                          None)
            assert record is not None, f"{exercise.id} {case}: no calibration for {check.observation.key}"
            assert record["margin"] == check.margin and record["sound"], record


@pytest.mark.parametrize("exercise", registry.all_exercises(), ids=lambda e: e.id)
def test_every_exercise_has_three_wrong_submissions_and_one_in_the_default_run(exercise):
    wrong = exercise.misconceptions
    assert len(wrong) >= 3 and any(not w.slow for w in wrong), [str(w) for w in wrong]

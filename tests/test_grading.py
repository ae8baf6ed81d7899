"""Grading decisions: how cases are measured, and a measurement is reused from the reference only when
it would be identical."""

import threading
import time
from collections import namedtuple
from dataclasses import replace

import pytest
from helpers import COURSE, mutate, solution_text

from autograder import exercises as registry
from autograder import sandbox, spec
from autograder.grading import grade
from autograder.grading.runs import deal, run_and_measure, without_measure_seconds
from autograder.results import ExerciseResult
from autograder.spec import ALL, PUBLIC_ONLY, Case, Exercise

EXERCISE = registry.get("ex06")
CASE = EXERCISE.case("default")


def measure(tmp_path, name, source, reference=None):
    path = tmp_path / name / EXERCISE.filename
    path.parent.mkdir()
    path.write_text(source)
    run = run_and_measure(EXERCISE, path, (CASE,), tmp_path / f"{name}-work", reference=reference)["default"]
    key = next(k for k in run.observations if k.startswith("trained:"))
    return key, run.observations[key]["value"]


def test_training_is_skipped_only_for_the_reference_architecture(tmp_path):
    key, measured = measure(tmp_path, "first", solution_text("ex06"))
    planted = {"default": {key: {"value": dict(measured, metric=0.123)}}}
    _, same = measure(tmp_path, "same", solution_text("ex06"), planted)
    assert same["metric"] == 0.123  # identical architecture: the reference's value stands
    wider = mutate("ex06", ("layers.Dense(num_classes", "layers.Dense(num_classes, use_bias=False"))
    _, other = measure(tmp_path, "other", wider, planted)
    assert other["metric"] != 0.123 and other["architecture"] != measured["architecture"]


def _measuring_calls(monkeypatch, fail_when=lambda runs: False):
    """Records the cases of every measuring child; a child whose runs satisfy ``fail_when`` is reported
    killed without being started."""
    calls, real = [], sandbox.run_isolated

    def spy(target, kwargs, **options):
        if target == "autograder.children.measure:measure_runs":
            calls.append(sorted(kwargs["runs"]))
            if fail_when(kwargs["runs"]):
                return sandbox.ChildOutcome("crashed", -9, 0.0, "", "", 600)
        return real(target, kwargs, **options)

    monkeypatch.setattr(sandbox, "run_isolated", spy)
    return calls


def test_a_worker_measures_all_the_cases_it_ran_in_one_child(tmp_path, monkeypatch):
    exercise = replace(registry.get("ex01"), run_children=2)
    calls = _measuring_calls(monkeypatch)
    monkeypatch.setattr(sandbox, "slots", lambda: 2)
    runs = run_and_measure(exercise, COURSE.solutions / exercise.filename, exercise.cases, tmp_path)
    assert len(calls) == 2 and sorted(sum(calls, [])) == sorted(case.name for case in exercise.cases)
    assert all(run.failure is None and "summary" in run.observations for run in runs.values())


def test_measured_once_every_case_is_observed_as_one_child_per_worker_observes_it(tmp_path, monkeypatch):
    # A submission's exercises measure once each; the observations must not depend on the grouping.
    exercise = replace(registry.get("ex01"), run_children=2)
    calls = _measuring_calls(monkeypatch)
    monkeypatch.setattr(sandbox, "slots", lambda: 2)
    source = COURSE.solutions / exercise.filename
    per_worker = run_and_measure(exercise, source, exercise.cases, tmp_path / "per-worker")
    once = run_and_measure(exercise, source, exercise.cases, tmp_path / "once", measure_once=True)
    assert len(calls) == 3 and calls[2] == sorted(case.name for case in exercise.cases)
    assert all(run.failure is None and "summary" in run.observations for run in once.values())
    assert {name: without_measure_seconds(run.observations) for name, run in once.items()} == {
        name: without_measure_seconds(run.observations) for name, run in per_worker.items()}


def test_when_a_measuring_child_fails_each_case_is_measured_alone(tmp_path, monkeypatch):
    exercise = registry.get("ex01")
    calls = _measuring_calls(monkeypatch, fail_when=lambda runs: len(runs) > 1)
    monkeypatch.setattr(sandbox, "slots", lambda: 1)
    runs = run_and_measure(exercise, COURSE.solutions / exercise.filename, exercise.cases, tmp_path)
    names = [case.name for case in exercise.cases]
    assert calls[0] == sorted(names) and sorted(calls[1:]) == sorted([name] for name in names)
    assert all(run.failure is None and "summary" in run.observations for run in runs.values())


def test_a_case_the_measurer_cannot_take_alone_scores_nothing_and_says_why(tmp_path, monkeypatch):
    exercise = registry.get("ex01")
    _measuring_calls(monkeypatch, fail_when=lambda runs: True)
    runs = run_and_measure(exercise, COURSE.solutions / exercise.filename, exercise.cases, tmp_path)
    assert len(runs) == len(exercise.cases)
    for run in runs.values():
        assert run.observations == {}
        assert run.failure.startswith("the grader could not measure what build_model() returned: the measuring "
                                      "process crashed with signal SIGKILL"), run.failure


def test_a_submissions_exercises_are_graded_side_by_side_and_reported_in_order(tmp_path, monkeypatch):
    exercises = [registry.get("ex01"), registry.get("ex02")]
    both_started = threading.Barrier(2, timeout=60)  # graded one after the other, this would time out
    finished = []

    def grade_exercise(exercise, source, visibilities, reference, measure_once, deadline):
        assert measure_once  # the other exercise keeps the cores busy meanwhile
        both_started.wait()
        if exercise.id == "ex01":
            time.sleep(0.5)  # the first exercise finishes last
        finished.append(exercise.id)
        return ExerciseResult(exercise.id, exercise.title, "graded", [])

    monkeypatch.setattr(sandbox, "slots", lambda: 2)
    monkeypatch.setattr(grade, "grade_exercise", grade_exercise)
    reported = []
    result = grade.grade_submission(tmp_path, exercises, spec.ALL, reference=None, on_exercise=reported.append)
    assert finished == ["ex02", "ex01"]
    assert [e.exercise for e in reported] == [e.exercise for e in result.exercises] == ["ex01", "ex02"]


def test_cases_are_dealt_round_robin_public_and_hidden_apart_and_a_check_deals_as_a_grading_does():
    """A child that ran a hidden case never runs a public one: it could rewrite the public case's result
    with what it learnt. A check's public children are a full grading's."""
    for exercise in registry.all_exercises():
        for children in (1, 2, 3):
            everything = deal(exercise.cases_for(ALL), children)
            public = deal(exercise.cases_for(PUBLIC_ONLY), children)
            assert sorted(case.name for group in everything for case in group) == sorted(c.name for c in exercise.cases)
            assert all(len({case.hidden for case in group}) == 1 for group in everything)
            hidden = sum(case.hidden for case in exercise.cases)
            assert len(everything) == min(children, len(exercise.cases) - hidden) + min(children, hidden)
            assert everything[:len(public)] == public
    case = namedtuple("case", "name hidden")
    cases = tuple(case(name, name in "de") for name in "abcde")
    assert [[c.name for c in group] for group in deal(cases, 2)] == [["a", "c"], ["b"], ["d"], ["e"]]


def test_an_exercise_lists_its_public_cases_before_its_hidden_ones():
    fields = dict(number=99, slug="order", title="t", concept="c", task="t", functions=(), checks=())
    with pytest.raises(ValueError, match="public cases must come before hidden ones"):
        Exercise(**fields, cases=(Case("secret", {}, hidden=True), Case("shown", {})))


def test_a_case_is_observed_alike_alone_and_after_other_cases_in_its_child(tmp_path):
    # Every case starts afresh (seeds, Keras' state, the submission's modules), so the grouping of
    # cases into children changes no observation, trained metrics included.
    source = COURSE.solutions / EXERCISE.filename
    alone = run_and_measure(replace(EXERCISE, run_children=len(EXERCISE.cases)), source, EXERCISE.cases,
                            tmp_path / "alone")
    together = run_and_measure(replace(EXERCISE, run_children=1), source, EXERCISE.cases, tmp_path / "together")
    assert all(run.failure is None for run in together.values())
    assert any(key.startswith("trained:") for run in together.values() for key in run.observations)
    assert {name: without_measure_seconds(run.observations) for name, run in together.items()} == {
        name: without_measure_seconds(run.observations) for name, run in alone.items()}


def test_a_missing_exercise_file_names_the_folder_searched_and_a_near_miss(tmp_path):
    (tmp_path / "ex6_conv2d.py").write_text("")
    conv, dense = registry.get("ex06"), registry.get("ex02")
    assert grade._refusal(conv, grade._source_for(tmp_path, conv)) == (
        f"ex06_conv2d.py was not found in the submission (searched {tmp_path}; found ex6_conv2d.py, not "
        "ex06_conv2d.py)")
    assert grade._refusal(dense, grade._source_for(tmp_path, dense)) == (
        f"ex02_dense.py was not found in the submission (searched {tmp_path})")

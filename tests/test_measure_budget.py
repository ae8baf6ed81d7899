"""A submission's measuring child has a time limit derived from the reference's measuring of the same
cases: a model cheap to save but costly to train is stopped after a minute or so, not ten, and told so in
terms of the reference's time; the reference keeps the fixed limit, and so does a reference of unknown time."""

from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace

import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder import sandbox
from autograder.grading import grade, runs
from autograder.grading.reference import ComputedReference
from autograder.grading.runs import MEASURE_SECONDS, run_and_measure

MEASURE_TARGET = "autograder.children.measure:measure_runs"
EX01 = registry.get("ex01")
HINT = " (is the model much bigger, or much slower to train, than it needs to be?)"


def timed(seconds: float, **observations) -> dict:
    return {**observations, MEASURE_SECONDS: {"value": seconds}}


def spy_on_measuring(monkeypatch, instead: str | None = None) -> list:
    """Records (limits, stop_by) of every measuring child; with ``instead``, that target runs in its place."""
    calls, real = [], sandbox.run_isolated

    def spy(target, kwargs, **options):
        if target != MEASURE_TARGET:
            return real(target, kwargs, **options)
        calls.append((options["limits"], options.get("stop_by")))
        return real(instead, {}, **options) if instead else real(target, kwargs, **options)

    monkeypatch.setattr(sandbox, "run_isolated", spy)
    return calls


def ran(tmp_path, *names):
    """Cases that handed something back (nothing, here: the measuring child is replaced)."""
    return [runs._Ran(EX01.case(name), tmp_path / "run" / name, "") for name in names]


def test_the_limit_is_ten_times_the_reference_at_least_a_minute_at_most_the_fixed_limit():
    default, deeper = EX01.case("default"), EX01.case("deeper")
    assert runs.MEASURE_LIMITS.wall_seconds == 600
    limits = lambda reference, cases=(default,): runs.measure_limits(list(cases), reference)  # noqa: E731
    assert limits({"default": timed(0.8)}) == (replace(runs.MEASURE_LIMITS, wall_seconds=60), 0.8)
    assert limits({"default": timed(9.0), "deeper": timed(3.0)}, (default, deeper)) == (
        replace(runs.MEASURE_LIMITS, wall_seconds=120), 12.0)  # a child's cases add up
    assert limits({"default": timed(75.0)}) == (runs.MEASURE_LIMITS, 75.0)  # never above 600 s
    # The reference itself, and a reference cached before its times were recorded: today's 600 s.
    assert limits({}) == (runs.MEASURE_LIMITS, None)
    assert limits({"default": {"summary": {"value": {}}}}) == (runs.MEASURE_LIMITS, None)
    assert limits({"default": timed(1.0), "deeper": {"summary": {"value": {}}}}, (default, deeper)) == (
        runs.MEASURE_LIMITS, None)
    for odd in ("1", None, -1, float("nan"), True, {"v": 1}):
        assert limits({"default": {MEASURE_SECONDS: {"value": odd}}}) == (runs.MEASURE_LIMITS, None)


def test_a_costly_measuring_is_stopped_at_the_limit_derived_from_the_reference(tmp_path, monkeypatch):
    # The measuring child never ends, as one training a model cheap to save but costly to train.
    calls = spy_on_measuring(monkeypatch, instead="sandbox_targets:sleep_forever")
    monkeypatch.setattr(runs, "MEASURE_LIMITS", replace(runs.MEASURE_LIMITS, wall_seconds=30))  # bounds a failure
    monkeypatch.setattr(runs, "MEASURE_FLOOR_SECONDS", 1.0)
    sandbox.warm_up()  # the forkserver's start (TensorFlow's import) is no part of this
    deadline = runs.Deadline(600)
    started = time.monotonic()
    measured = runs._measure(EX01, ran(tmp_path, "default"), tmp_path / "work", None,
                             {"default": timed(0.3, summary={"value": {}})}, deadline)
    assert time.monotonic() - started < 15
    assert [(limits.wall_seconds, stop_by) for limits, stop_by in calls] == [(3.0, deadline.ends)]
    (run,) = measured
    assert run.observations == {}
    assert run.failure == ("the grader stopped training what build_model() returned after 3.0 s; the reference "
                           "takes 0.3 s" + HINT), run.failure


def test_a_child_measuring_several_cases_has_their_reference_times_added_up(tmp_path, monkeypatch):
    calls = spy_on_measuring(monkeypatch, instead="sandbox_targets:sleep_forever")
    monkeypatch.setattr(runs, "MEASURE_FLOOR_SECONDS", 1.0)
    measured = runs._measure(EX01, ran(tmp_path, "default", "single"), tmp_path / "work", None,
                             {"default": timed(0.15), "single": timed(0.05)})
    assert [limits.wall_seconds for limits, _ in calls] == [2.0]  # one child, not measured again case by case
    assert {run.failure for run in measured} == {
        "the grader stopped training what build_model() returned after 2.0 s; the reference takes 0.2 s for the "
        "same 2 cases" + HINT}


def test_an_unknown_reference_time_keeps_the_fixed_limit(tmp_path, monkeypatch):
    calls = spy_on_measuring(monkeypatch, instead="sandbox_targets:sleep_forever")
    monkeypatch.setattr(runs, "MEASURE_LIMITS", replace(runs.MEASURE_LIMITS, wall_seconds=2))  # for 600 s
    monkeypatch.setattr(runs, "MEASURE_FLOOR_SECONDS", 1.0)
    (run,) = runs._measure(EX01, ran(tmp_path, "default"), tmp_path / "work", None,
                           {"default": {"summary": {"value": {}}}}, runs.Deadline(600))
    assert [limits for limits, _ in calls] == [runs.MEASURE_LIMITS]
    assert run.failure == "the grader stopped measuring what build_model() returned after 2 s, its time limit"


def test_the_reference_records_its_measuring_time_and_an_honest_submission_is_measured_in_full(tmp_path,
                                                                                                monkeypatch):
    calls = spy_on_measuring(monkeypatch)
    source, cases = COURSE.solutions / EX01.filename, (EX01.case("default"), EX01.case("single"))
    monkeypatch.setattr(sandbox, "slots", lambda: 1)
    reference = run_and_measure(replace(EX01, run_children=1), source, cases, tmp_path / "reference")
    assert all(run.failure is None for run in reference.values())
    took = {name: run.observations[MEASURE_SECONDS]["value"] for name, run in reference.items()}
    assert all(seconds > 0 for seconds in took.values()), took
    assert [limits for limits, stop_by in calls] == [runs.MEASURE_LIMITS]  # the reference keeps the fixed limit
    # The child's start is shared out: its cases add up to the whole child.
    expected = {name: run.observations for name, run in reference.items()}
    deadline = runs.Deadline(600)
    submission = run_and_measure(replace(EX01, run_children=1), source, cases, tmp_path / "submission",
                                 reference=expected, deadline=deadline)
    assert all(run.failure is None for run in submission.values())
    assert all(MEASURE_SECONDS in run.observations for run in submission.values())
    assert {name: runs.without_measure_seconds(run.observations) for name, run in submission.items()} == {
        name: runs.without_measure_seconds(observations) for name, observations in expected.items()}
    limits, stop_by = calls[1]
    assert stop_by == deadline.ends
    assert limits.wall_seconds == max(runs.MEASURE_FLOOR_SECONDS, runs.MEASURE_FACTOR * sum(took.values()))
    # Nothing reads the time as an observation: the checks pass, the details show no trace of it.
    for case in cases:
        run, observed = submission[case.name], expected[case.name]
        assert all(grade._decide(EX01, run, check, observed).passed for check in EX01.checks_for(case))
        details = grade._details(EX01, case, run, observed)
        assert MEASURE_SECONDS not in repr(details)


def test_the_reference_cache_keeps_the_time_and_reads_it_back(tmp_path, monkeypatch):
    def fake_measure(exercise, source, cases, workdir):
        return {case.name: SimpleNamespace(failure=None, observations=timed(1.5, summary={"value": case.name}))
                for case in cases}

    monkeypatch.setattr(runs, "run_and_measure", fake_measure)
    course = SimpleNamespace(solutions=COURSE.solutions, cache=tmp_path / "cache")
    reference, exercise = ComputedReference(course), registry.get("ex02")
    measured = reference.observations(exercise, exercise.cases)  # an entry that is no error is no failure
    monkeypatch.setattr(runs, "run_and_measure", lambda *args: pytest.fail("measured again"))
    assert reference.observations(exercise, exercise.cases) == measured
    assert runs.measure_limits(list(exercise.cases), measured)[1] == 1.5 * len(exercise.cases)

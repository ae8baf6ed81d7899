"""A submission's grading time budget: the cases left when it is spent are not run and score nothing,
exercises graded before keep their points, the next student starts afresh; a measuring child that runs
out of time is not run again case by case."""

from __future__ import annotations

import time

from helpers import COURSE, solution_text

from autograder import exercises as registry
from autograder import sandbox
from autograder.grading import runs
from autograder.grading.batch import grade_batch
from autograder.grading.runs import run_and_measure
from autograder.grading.submissions import Submission

MEASURE_TARGET = "autograder.children.measure:measure_runs"
EX01 = registry.get("ex01")


def slowed(exercise_id: str, seconds: float) -> str:
    """The reference solution, every function of which sleeps ``seconds`` first: each case stays under
    its own limit, yet the exercise costs ``seconds`` per case."""
    names = [function.name for function in registry.get(exercise_id).functions]
    wrap = "\n".join(f"{name} = _slow({name})" for name in names)
    return solution_text(exercise_id) + f"""

import functools as _functools
import time as _time


def _slow(function):
    @_functools.wraps(function)
    def slept(*args, **kwargs):
        _time.sleep({seconds})
        return function(*args, **kwargs)
    return slept


{wrap}
"""


def spy_on_children(monkeypatch):
    """Records (target, case names, stop_by) of every child started."""
    calls, real = [], sandbox.run_isolated

    def spy(target, kwargs, **options):
        calls.append((target, sorted(kwargs.get("runs") or kwargs.get("calls") or {}), options.get("stop_by")))
        return real(target, kwargs, **options)

    monkeypatch.setattr(sandbox, "run_isolated", spy)
    return calls


def test_the_budget_is_twenty_minutes_unless_tfgrade_budget_says_otherwise(monkeypatch):
    monkeypatch.delenv("TFGRADE_BUDGET", raising=False)
    assert runs.budget_seconds() == 20 * 60
    assert runs.Deadline(runs.budget_seconds()).message() == (
        "not run: this submission used its grading time budget of 20 min")
    monkeypatch.setenv("TFGRADE_BUDGET", "7.5")
    assert runs.budget_seconds() == 7.5
    assert runs.Deadline(7.5).message("stopped") == "stopped: this submission used its grading time budget of 7.5 s"


def test_a_child_is_stopped_at_the_deadline_whatever_its_steps_and_not_started_after_it(tmp_path):
    limits = sandbox.Limits(wall_seconds=3)
    # The forkserver's start (TensorFlow's import) is no part of this.
    assert sandbox.run_isolated("sandbox_targets:write_ok", {}, workdir=tmp_path / "first", limits=limits).ok
    started = time.monotonic()
    outcome = sandbox.run_isolated("sandbox_targets:finish_steps", {"durations": [1.0] * 10}, workdir=tmp_path / "steps",
                                   limits=limits, stop_by=started + 2.5,
                                   steps_done=lambda: len(list((tmp_path / "steps").glob("step*.done"))))
    assert outcome.status == "timeout" and outcome.seconds < 6  # each step is within 3 s; 10 s in all
    late = sandbox.run_isolated("sandbox_targets:write_ok", {}, workdir=tmp_path / "late", limits=limits,
                                stop_by=time.monotonic() - 1)
    assert late.status == "timeout" and not (tmp_path / "late" / "done.txt").exists()
    # Stopped as soon as it starts, before it has a session of its own, a child still dies at once.
    started = time.monotonic()
    soon = sandbox.run_isolated("sandbox_targets:finish_steps", {"durations": [1.0] * 10},
                                workdir=tmp_path / "soon", limits=limits, stop_by=started + 0.001)
    assert soon.status == "timeout" and soon.seconds < 3


def test_every_child_of_a_submission_stops_at_its_deadline_and_an_honest_one_is_unaffected(tmp_path, monkeypatch):
    calls = spy_on_children(monkeypatch)
    deadline = runs.Deadline(600)
    ran = run_and_measure(EX01, COURSE.solutions / EX01.filename, EX01.cases, tmp_path / "work", deadline=deadline)
    assert all(run.failure is None and "summary" in run.observations for run in ran.values())
    assert calls and all(stop_by == deadline.ends for _, _, stop_by in calls)
    assert MEASURE_TARGET in {target for target, _, _ in calls}


def test_once_the_deadline_has_passed_no_case_runs(tmp_path, monkeypatch):
    calls = spy_on_children(monkeypatch)
    deadline = runs.Deadline(0)
    ran = run_and_measure(EX01, COURSE.solutions / EX01.filename, EX01.cases, tmp_path / "work", deadline=deadline)
    assert calls == []
    assert {run.failure for run in ran.values()} == {"not run: this submission used its grading time budget of 0 s"}


def test_a_measuring_child_that_times_out_is_not_run_again_case_by_case(tmp_path, monkeypatch):
    calls = spy_on_children(monkeypatch)
    monkeypatch.setattr(runs, "MEASURE_LIMITS", sandbox.Limits(wall_seconds=0.01, cpu_seconds=60))
    monkeypatch.setattr(sandbox, "slots", lambda: 1)
    started = time.monotonic()
    ran = run_and_measure(EX01, COURSE.solutions / EX01.filename, EX01.cases, tmp_path / "work")
    measuring = [names for target, names, _ in calls if target == MEASURE_TARGET]
    assert measuring == [sorted(case.name for case in EX01.cases)]  # one child, no case measured alone after it
    for run in ran.values():
        assert run.observations == {}
        assert run.failure == "the grader stopped measuring what build_model() returned after 0.01 s, its time limit", run.failure
    assert time.monotonic() - started < 60


def test_a_spent_budget_stops_the_later_exercises_and_the_next_student_is_graded_in_full(tmp_path, monkeypatch,
                                                                                         reference):
    # Each case of the slow ex02 sleeps 4 s, under its 6 s limit: 7 cases would cost 28 s, the budget is 20 s.
    exercises = [registry.get(exercise_id) for exercise_id in ("ex01", "ex02", "ex03")]
    for name, sources in {"a-slow": {"ex01": solution_text("ex01"), "ex02": slowed("ex02", 4),
                                     "ex03": solution_text("ex03")},
                          "b-honest": {e.id: solution_text(e.id) for e in exercises}}.items():
        (tmp_path / "in" / name).mkdir(parents=True)
        for exercise in exercises:
            (tmp_path / "in" / name / exercise.filename).write_text(sources[exercise.id])
    monkeypatch.setenv("TFGRADE_TIMEOUT", "6")
    monkeypatch.setenv("TFGRADE_BUDGET", "20")
    monkeypatch.setattr(sandbox, "slots", lambda: 1)  # one exercise after the other: ex01, ex02, then ex03
    submissions = [Submission(name, tmp_path / "in" / name) for name in ("a-slow", "b-honest")]
    outcome = grade_batch(submissions, exercises, tmp_path / "out", reference, workers=1)

    slow, honest = ({e.exercise: e for e in result.exercises} for result in outcome.results)
    assert slow["ex01"].score == slow["ex01"].possible > 0  # graded before the budget was spent
    for exercise_id in ("ex02", "ex03"):
        assert slow[exercise_id].score == 0 and slow[exercise_id].status == "error"
        assert all("this submission used its grading time budget of 20 s" in check.message
                   for check in slow[exercise_id].checks), [check.message for check in slow[exercise_id].checks]
    assert {check.message for check in slow["ex03"].checks} == {
        "not run: this submission used its grading time budget of 20 s"}
    assert all(exercise.score == exercise.possible > 0 for exercise in honest.values())

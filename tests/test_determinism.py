"""The same submission gets the same result on every run: children are seeded and op-deterministic."""

import json

from helpers import mutate, solution_text

from autograder import exercises as registry
from autograder import sandbox
from autograder.grading.runs import run_and_measure, without_measure_seconds
from autograder.sandbox import determinism


def observe(tmp_path, exercise_id, source, case_name, run):
    exercise = registry.get(exercise_id)
    path = tmp_path / f"run{run}" / exercise.filename
    path.parent.mkdir(parents=True)
    path.write_text(source)
    return run_and_measure(exercise, path, (exercise.case(case_name),), tmp_path / f"work{run}")[case_name]


def test_a_student_trained_model_is_bit_identical_across_runs(tmp_path):
    # Exercise 09: the student's own fit() with early stopping, and the grader's replay of its callback.
    runs = {case: [observe(tmp_path / case, "ex09", solution_text("ex09"), case, run) for run in (1, 2)]
            for case in ("default", "callback")}
    for first, second in runs.values():
        assert first.failure is None
        assert without_measure_seconds(first.observations) == without_measure_seconds(second.observations)
    training = next(v for k, v in runs["default"][0].observations.items() if k.startswith("training_run:"))
    assert len(training["value"]["history"]["val_loss"]) > 3
    replay = next(v for k, v in runs["callback"][0].observations.items() if k.startswith("replayed:"))
    assert replay["value"]["run"]["value"] > 3


def test_a_grader_trained_metric_is_bit_identical_across_runs(tmp_path):
    # Exercise 06 with a different architecture than the reference: the grader's own training.
    source = mutate("ex06", ('activation="relu")', 'activation="tanh")'))
    first, second = (observe(tmp_path, "ex06", source, "default", run) for run in (1, 2))
    key = next(k for k in first.observations if k.startswith("trained:"))
    assert first.observations[key] == second.observations[key]
    assert 0.1 < first.observations[key]["value"]["metric"] <= 1.0


def test_every_child_runs_under_the_one_tensorflow_recipe(tmp_path):
    # Reference and submissions must share these settings: each one changes the bits of training.
    outcome = sandbox.run_isolated("sandbox_targets:write_tensorflow_settings", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=60))
    assert outcome.ok, outcome.describe()
    assert json.loads((tmp_path / "settings.json").read_text()) == {
        "intra_op_threads": determinism.INTRA_OP_THREADS, "inter_op_threads": determinism.INTER_OP_THREADS,
        "op_determinism": True, "graph_optimizer_off": True}

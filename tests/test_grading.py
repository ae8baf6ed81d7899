"""Grading decisions: a measurement is reused from the reference only when it would be identical."""

from autograder import registry
from autograder.grading import run_and_measure
from helpers import mutate, solution_text

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

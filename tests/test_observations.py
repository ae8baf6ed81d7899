import json
import math

from autograder import exercises as registry
from autograder import sandbox
from autograder.course import datasets
from autograder.measure import observations
from autograder.spec import Trained


def test_accuracy_is_predicts_to_the_bit_without_tracing_a_predict_function(tmp_path):
    # predict() traces a function and builds an input pipeline, over a second of a measuring child;
    # calling the model batch by batch must give exactly its numbers.
    outcome = sandbox.run_isolated("sandbox_targets:write_predictions_beside_predict", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=120))
    assert outcome.ok, outcome.describe() + outcome.stderr
    measured = json.loads((tmp_path / "predictions.json").read_text())
    assert measured["identical"]
    assert measured["accuracy"] == measured["accuracy_from_predict"] > 0
    assert not measured["traced_predict"]


def test_the_grader_trains_a_whole_epoch_per_call_to_the_bits_of_one_call_per_batch(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:write_grader_training_per_epoch_and_per_batch", {},
                                   workdir=tmp_path, limits=sandbox.Limits(wall_seconds=300))
    assert outcome.ok, outcome.describe() + outcome.stderr
    trained = json.loads((tmp_path / "trained.json").read_text())
    assert trained["per_epoch"]["history"]["loss"]  # it trained
    assert trained["per_epoch"] == trained["per_batch"]


def test_one_call_into_tensorflow_covers_an_epoch_of_every_recipe_the_grader_trains():
    # Fewer batches per call would bring back the per-batch Python overhead the setting removes.
    recipes = {check.observation.recipe for exercise in registry.all_exercises() for check in exercise.checks
               if isinstance(check.observation, Trained)}
    assert len(recipes) > 5
    for recipe in recipes:
        splits = datasets.load(recipe.dataset, seed=recipe.seed)
        assert math.ceil(len(splits.x_train) / recipe.batch_size) <= observations.STEPS_PER_CALL, recipe

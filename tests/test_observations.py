import json
import math

import numpy as np
import pytest

from autograder import exercises as registry
from autograder import sandbox
from autograder.course import datasets
from autograder.measure import observations
from autograder.sandbox.artifacts import MODEL
from autograder.spec import Recipe, Trained


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


FRESH = "the grader trains from fresh initial weights, so initial values cannot be handed in"


def test_the_grader_refuses_initial_weights_handed_in_through_an_initializer(tmp_path):
    # clone_model rebuilds each layer from its config, and a Constant initializer's config holds its array:
    # the "fresh" copy would start from (and, not trainable, keep) weights trained in the student's process.
    keras = pytest.importorskip("keras")
    trained = keras.initializers.Constant(np.ones((16, 16)))
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(16, kernel_initializer=trained, trainable=False),
                              keras.layers.Dense(10, activation="softmax")])
    assert keras.models.clone_model(model).layers[1].kernel.numpy().tolist() == np.ones((16, 16)).tolist()
    model.save(tmp_path / MODEL)
    context = observations.Context(tmp_path, None)
    refused = rf"^layer 2 \(dense_\d+\): kernel_initializer Constant holds fixed values; {FRESH}$"
    with pytest.raises(ValueError, match=refused):
        Trained(Recipe("digits_flat", epochs=1)).measure(context)  # refused before any training


def test_built_in_initializers_with_scalar_settings_are_fresh_and_nested_layers_are_read():
    keras = pytest.importorskip("keras")
    init = keras.initializers
    normal = keras.Sequential([
        keras.Input((5, 3)), keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True)),
        keras.layers.TimeDistributed(keras.layers.Dense(4, kernel_initializer=init.RandomNormal(stddev=0.05, seed=3),
                                                        bias_initializer=init.Constant(0.1))),
        keras.layers.Flatten(), keras.layers.Dense(2, kernel_initializer=init.Orthogonal(gain=1.0)),
        keras.layers.Dense(2, kernel_initializer="glorot_uniform", bias_initializer=init.Constant(np.float32(0.5)))])
    observations._require_fresh_initializers(normal)  # nothing refused

    wrapped = keras.Sequential([keras.Input((5, 3)), keras.layers.Bidirectional(
        keras.layers.LSTM(2, recurrent_initializer=init.Constant(np.eye(2, 8))))])
    with pytest.raises(ValueError, match=r"^layer 1 \(bidirectional\w*/forward_lstm\w*\): recurrent_initializer "
                                         r"Constant holds fixed values"):
        observations._require_fresh_initializers(wrapped)

    class Handed(init.Initializer):  # a student's own initializer: not one of Keras' classes
        def __call__(self, shape, dtype=None):
            return keras.ops.ones(shape, dtype=dtype)

    inner = keras.Sequential([keras.layers.Dense(3, kernel_initializer=Handed())], name="encoder")
    nested = keras.Sequential([keras.Input((4,)), inner, keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"^layer 1 \(encoder/dense\w*\): kernel_initializer Handed is not one of "
                                         rf"Keras' built-in initializers, the only ones the grader accepts; {FRESH}$"):
        observations._require_fresh_initializers(nested)

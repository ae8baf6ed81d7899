"""Model summaries come from layer attributes for every kind of model (runs Keras in-process)."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from autograder.measure.summary import ModelSummary, format_shape  # noqa: E402


def conv_stack():
    return [keras.layers.Conv2D(32, (3, 3), activation="relu"), keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax")]


def test_sequential_with_input():
    s = ModelSummary.from_model(keras.Sequential([keras.Input((8, 8, 1)), *conv_stack()]))
    assert s.kind == "Sequential"
    assert [(x.cls, x.output_shape) for x in s.layers] == [
        ("Conv2D", (None, 6, 6, 32)), ("Flatten", (None, 1152)), ("Dense", (None, 10))]
    assert [x.trainable_params for x in s.layers] == [3 * 3 * 1 * 32 + 32, 0, 1152 * 10 + 10]
    assert s.layers[0].describe_with_shape() == "Conv2D(32, 3x3) -> (None, 6, 6, 32)"
    assert s.layers[0].config["activation"] == "relu" and s.layers[0].config["kernel_size"] == [3, 3]


def test_sequential_without_input_is_built_from_the_exercise_shape():
    s = ModelSummary.from_model(keras.Sequential(conv_stack()), input_shape=(8, 8, 1))
    assert s.output_shape == (None, 10) and s.trainable_params == 320 + 11530


def test_unbuilt_model_without_a_shape_is_an_error():
    with pytest.raises(ValueError, match="never built"):
        ModelSummary.from_model(keras.Sequential(conv_stack()))


def test_functional_model_skips_the_input_layer():
    inputs = keras.Input((30,))
    hidden = keras.layers.Dense(64, activation="relu")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))
    s = ModelSummary.from_model(model)
    assert s.kind == "Functional" and [x.cls for x in s.layers] == ["Dense", "Dense"]
    assert s.trainable_params == 30 * 64 + 64 + 65


def test_nested_models_are_flattened_into_leaf_layers():
    inner = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10)], name="head")
    s = ModelSummary.from_model(keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3), inner]))
    assert [x.path.startswith("head/") for x in s.layers] == [False, True, True]
    assert [x.output_shape for x in s.layers] == [(None, 6, 6, 4), (None, 144), (None, 10)]


def test_subclassed_model_is_built_by_calling_it():
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(2)

        def call(self, x):
            return self.out(self.hidden(x))

    s = ModelSummary.from_model(Tiny(), input_shape=(5,))
    assert s.kind == "Tiny" and [x.trainable_params for x in s.layers] == [48, 18]


def test_batch_norm_counts_non_trainable_and_dropout_counts_nothing():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.BatchNormalization(),
                              keras.layers.Dropout(0.5, seed=1)])
    bn, dropout = ModelSummary.from_model(model).layers[1:]
    assert (bn.trainable_params, bn.non_trainable_params) == (6, 6)
    assert (dropout.trainable_params, dropout.non_trainable_params) == (0, 0)
    assert dropout.describe() == "Dropout(0.5)"


def test_round_trip_through_plain_data():
    s = ModelSummary.from_model(keras.Sequential([keras.Input((8, 8, 1)), *conv_stack()]))
    assert ModelSummary.from_dict(s.to_dict()) == s
    assert np.isfinite(s.to_dict()["trainable_params"])


def test_format_shape():
    assert format_shape((None, 6, 6, 32)) == "(None, 6, 6, 32)"
    assert format_shape((None,)) == "(None,)"
    assert format_shape(None) == "?"

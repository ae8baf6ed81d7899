"""Model summaries come from layer attributes for every kind of model (runs Keras in-process)."""

import json

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


def config_of(layer_, input_shape):
    return ModelSummary.from_model(keras.Sequential([keras.Input(input_shape), layer_])).layers[0].config


def test_the_whole_configuration_is_recorded_without_names_dtypes_or_trainable():
    config = config_of(keras.layers.GRU(4, recurrent_dropout=0.2), (5, 3))
    assert config["recurrent_dropout"] == 0.2 and config["go_backwards"] is False
    assert not {"name", "dtype", "trainable"} & set(config)
    assert config["kernel_initializer"] == "glorot_uniform" and config["kernel_regularizer"] is None
    json.dumps(config)  # plain data


def test_equivalent_spellings_are_recorded_alike():
    layers = keras.layers
    assert config_of(layers.Conv2D(4, 3, activation=keras.activations.relu), (8, 8, 1)) == \
        config_of(layers.Conv2D(4, (3, 3), activation="relu"), (8, 8, 1))
    assert config_of(layers.Dense(2, kernel_initializer=keras.initializers.GlorotUniform()), (3,)) == \
        config_of(layers.Dense(2, kernel_initializer="glorot_uniform"), (3,))
    assert config_of(layers.RandomZoom((-0.2, 0.2)), (8, 8, 1)) == config_of(layers.RandomZoom(0.2), (8, 8, 1))
    assert config_of(layers.RandomRotation((-0.1, 0.1)), (8, 8, 1))["factor"] == 0.1
    assert config_of(layers.RandomTranslation((-0.1, 0.1), 0.1), (8, 8, 1))["height_factor"] == 0.1


def test_settings_that_change_what_a_layer_does_are_kept_apart():
    layers = keras.layers
    constant = config_of(layers.Dense(2, kernel_initializer=keras.initializers.Constant(0.5)), (3,))
    assert constant["kernel_initializer"] == "Constant(value=0.5)"
    assert config_of(layers.Dense(2, kernel_regularizer="l2"), (3,))["kernel_regularizer"] == "L2(l2=0.01)"
    assert config_of(layers.Embedding(10, 3, mask_zero=True), (4,))["mask_zero"] is True
    assert config_of(layers.BatchNormalization(momentum=0.9), (3,))["momentum"] == 0.9
    assert config_of(layers.RandomZoom((-0.2, 0.3)), (8, 8, 1))["height_factor"] == [-0.2, 0.3]


def test_normalization_rules_apply_to_plain_configs():
    from autograder.measure.summary import normalized_config

    raw = {"name": "c", "trainable": False, "batch_input_shape": [None, 8, 8, 1], "kernel_size": 3, "strides": 2,
           "activation": {"module": "builtins", "class_name": "function", "config": "relu", "registered_name": None},
           "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                "registered_name": None}}
    assert normalized_config(raw, ("Conv2D", "Layer")) == {
        "activation": "relu", "bias_initializer": "zeros", "kernel_size": [3, 3], "strides": [2, 2]}
    assert normalized_config({"factor": [-0.2, 0.2]}, ("RandomContrast", "Layer")) == {"factor": [-0.2, 0.2]}


def test_an_array_held_in_a_config_is_named_by_shape_and_hash_not_listed():
    from autograder.measure.summary import normalized_config

    def constant(array):
        return {"kernel_initializer": {"module": "keras.initializers", "class_name": "Constant", "config": {
            "value": {"class_name": "__numpy__", "config": {"value": array.tolist(), "dtype": "float32"}}}}}

    weights = np.arange(640, dtype="float32").reshape(64, 10)
    text = normalized_config(constant(weights), ("Dense", "Layer"))["kernel_initializer"]
    assert text.startswith("Constant(value=<64x10 array ") and len(text) < 50
    assert text == normalized_config(constant(weights.copy()), ("Dense", "Layer"))["kernel_initializer"]
    assert text != normalized_config(constant(weights + 1), ("Dense", "Layer"))["kernel_initializer"]
    small = normalized_config(constant(np.ones((2, 2))), ("Dense", "Layer"))["kernel_initializer"]
    assert small == "Constant(value=((1.0, 1.0), (1.0, 1.0)))"

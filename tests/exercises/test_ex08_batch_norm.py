import pytest
from contract import contract_tests
from equivalent import Same, equivalent_tests

from autograder.exercises.ex08_batch_norm import BLOCK

EXERCISE = "ex08"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

SAME = [
    # Blocks nested in Sequentials are flattened as the summary flattens them, for the structural checks and the
    # normalization probes alike; ReLU() and a Dense + Activation pair are judged by what they compute.
    Same("each hidden block a Sequential of its own",
         ((BLOCK, ("            model.add(keras.Sequential([layers.Dense(units, use_bias=False), "
                   'layers.BatchNormalization(), layers.Activation("relu")]))\n')),)),
    Same("ReLU() layers, the baseline's relu as a layer of its own, every default spelled out",
         (('layers.Activation("relu")', "layers.ReLU()"),
          ("layers.Dense(units, use_bias=False)", "layers.Dense(units=units, use_bias=False)"),
          ("layers.BatchNormalization()", "layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3)"),
          ('            model.add(layers.Dense(units, activation="relu"))',
           "            model.add(layers.Dense(units))\n            model.add(layers.Activation('relu'))")), slow=True),
]

test_equivalent_structure_earns_full_marks = equivalent_tests(EXERCISE, SAME)


def test_normalization_probes_find_layers_inside_nested_models(tmp_path):
    # A block wrapped in a Sequential (or a Functional model) inside the returned Sequential: the probes number
    # its layers as the summary does, among leaf layers.
    keras = pytest.importorskip("keras")
    from autograder.measure.observations import Context
    from autograder.sandbox.artifacts import MODEL
    from autograder.spec import ModelBehaviour

    layers = keras.layers
    inputs = keras.Input((8,))
    functional = keras.Model(inputs, layers.Activation("relu")(layers.BatchNormalization()(layers.Dense(8)(inputs))))
    model = keras.Sequential([keras.Input((5,)), keras.Sequential([layers.Dense(8, use_bias=False),
                                                                   layers.BatchNormalization(), layers.ReLU()]),
                              functional, layers.Dense(3, activation="softmax")])
    model.save(tmp_path / MODEL)
    measured = ModelBehaviour().measure(Context(tmp_path, (5,), seed=1))
    assert measured["normalized_per_feature"] == {
        "value": 2, "note": "2 layers output mean 0 and std 1 over the batch, feature by feature (training=True): "
                            "layer 2 BatchNormalization, layer 5 BatchNormalization"}

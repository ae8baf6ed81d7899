import pytest
from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex08"

BN_CASES = ("with_bn", "wine", "single")
BASELINE_CASES = ("baseline", "wine_baseline")
BLOCK = """            model.add(layers.Dense(units, use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
"""


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("Dense keeps its bias",
          (("layers.Dense(units, use_bias=False)", "layers.Dense(units)"),),
          fails=each(BN_CASES, "param_counts", "layer_config"),
          says="layer 1 Dense(64): expected 4,096 trainable parameters, got 4,160", slow=True),
    Wrong("normalization after the activation",
          (("""            model.add(layers.Dense(units, use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
""", """            model.add(layers.Dense(units, activation="relu", use_bias=False))
            model.add(layers.BatchNormalization())
"""),),
          # The same weights in fewer layers: the totals match, the layer sequence does not.
          fails=each(BN_CASES, "layer_types", "output_shapes", "layer_config"),
          says="expected 10 layers, got 7", slow=True),
    Wrong("batch_norm flag ignored",
          (("        if batch_norm:\n", "        if True:\n"),),
          fails=each(BASELINE_CASES, "layer_types", "output_shapes", "param_counts", "layer_config",
                     "normalized_per_feature", "batch_independent_training"),
          says="expected 4 layers, got 10"),
    Wrong("LayerNormalization instead of BatchNormalization",
          (("layers.BatchNormalization()", "layers.LayerNormalization()"),),
          # Also slower: with these bias-free Dense layers it stays below the reference after 3 epochs.
          fails=each(BN_CASES, "normalized_per_feature", "batch_independent_training", "layer_types",
                     "param_counts") + ("with_bn.metric",),
          says="no layer outputs mean 0 and std 1 over the batch, feature by feature (training=True); "
               "expected: 3 layers output", slow=True),
    Wrong("batch normalization with a faster-moving average",
          (("model.add(layers.BatchNormalization())", "model.add(layers.BatchNormalization(momentum=0.9, epsilon=0.01))"),),
          fails=each(BN_CASES, "layer_config"),
          says="layer 2 BatchNormalization: epsilon expected 0.001, got 0.01; layer 2 BatchNormalization: "
               "momentum expected 0.99, got 0.9"),
    Wrong("ELU in place of relu in nested blocks",
          ((BLOCK, ("            model.add(keras.Sequential([layers.Dense(units, use_bias=False), "
                    "layers.BatchNormalization(), layers.ELU()]))\n")),),
          # ELU is not an Activation layer, so the layer types are judged by what the model computes: with the
          # reference's weights, the ELU is where its outputs part from the reference's. Shapes and the
          # configuration of the layers that pair up by class match.
          fails=each(BN_CASES, "layer_types"),
          says="layer 3 ELU is where they part (up to layer 2 BatchNormalization, the outputs equal those of the "
               "reference's layer 2 BatchNormalization)"),
    Wrong("relu before the normalization, in nested blocks",
          ((BLOCK, ("            model.add(keras.Sequential([layers.Dense(units, use_bias=False, activation='relu'), "
                    "layers.BatchNormalization()]))\n")),),
          fails=each(BN_CASES, "layer_types", "output_shapes", "layer_config"),
          says="the activation of layer 1 Dense(64) is where they part (before it, the outputs equal those of the "
               "reference's layer 1 Dense(64))", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

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
           "            model.add(layers.Dense(units))\n            model.add(layers.Activation('relu'))"))),
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

import pytest
from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex01"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

SAME = [
    # The task asks for a Dense layer with an activation: Dense + Activation computes the same, as does a block
    # nested in a Sequential; the structural checks judge such a model by its outputs with the reference's weights.
    Same("each activation as a layer of its own",
         (("model.add(layers.Dense(units, activation=activation))",
           "model.add(layers.Dense(units))\n        model.add(layers.Activation(activation))"),
          ('model.add(layers.Dense(1, activation="sigmoid"))',
           'model.add(layers.Dense(1))\n    model.add(layers.Activation("sigmoid"))'))),
    Same("each hidden layer a block nested in a Sequential, its activation a layer of its own",
         (("model.add(layers.Dense(units, activation=activation))",
           "model.add(keras.Sequential([layers.Dense(units), layers.Activation(activation)]))"),), slow=True),
    Same("units and activations given by position",
         (("layers.Dense(units, activation=activation)", "layers.Dense(units, activation)"),
          ('layers.Dense(1, activation="sigmoid")', 'layers.Dense(1, "sigmoid")'))),
]

test_equivalent_structure_earns_full_marks = equivalent_tests(EXERCISE, SAME)


def test_structures_are_judged_by_their_outputs_with_the_reference_weights(tmp_path):
    # In-process and fast: what EquivalentByBehaviour decides from ModelEquivalence, on models built here.
    keras = pytest.importorskip("keras")
    from autograder.measure.observations import Context
    from autograder.sandbox.artifacts import MODEL
    from autograder.spec import EquivalentByBehaviour, LayerConfig, LayerTypes, ModelEquivalence

    layers = keras.layers

    def measured(name, *stack):
        folder = tmp_path / name
        folder.mkdir()
        keras.Sequential([keras.Input((6,)), *stack, layers.Dense(1, activation="sigmoid")]).save(folder / MODEL)
        return ModelEquivalence().measure(Context(folder, (6,), seed=3))

    reference = measured("reference", layers.Dense(8, activation="relu"), layers.Dropout(0.5),
                         layers.Dense(4, activation="tanh"))
    split = measured("split", layers.Dense(8), keras.Sequential([layers.ReLU(), layers.Dropout(0.5)]),
                     layers.Dense(4), layers.Activation("tanh"))
    elu = measured("elu", layers.Dense(8), layers.Activation("elu"), layers.Dropout(0.5),
                   layers.Dense(4, activation="tanh"))
    rate = measured("rate", layers.Dense(8), layers.Activation("relu"), layers.Dropout(0.2),
                    layers.Dense(4, activation="tanh"))
    initializer = measured("initializer", layers.Dense(8, kernel_initializer="he_normal"), layers.Activation("relu"),
                           layers.Dropout(0.5), layers.Dense(4, activation="tanh"))
    wider = measured("wider", layers.Dense(9), layers.Activation("relu"), layers.Dropout(0.5),
                     layers.Dense(4, activation="tanh"))
    types, config = EquivalentByBehaviour(LayerTypes()), EquivalentByBehaviour(LayerConfig())

    assert types.compare(split, reference).passed and config.compare(split, reference).passed
    assert "computing the same function: with the reference's weights, its outputs equal the reference's on 8 probe " \
           "inputs, in inference and in training mode" in types.compare(split, reference).message
    verdict = types.compare(elu, reference)
    assert not verdict.passed and "on 8 probe inputs with the reference's weights: layer 2 Activation('elu') is where " \
        "they part (up to layer 1 Dense(8), the outputs equal those of the reference's layer 1 Dense(8) before its " \
        "activation)" in verdict.message
    verdict = types.compare(rate, reference)  # the same at inference: only training mode tells the rates apart
    assert not verdict.passed and "in training mode (training=True) with the reference's weights: layer 3 " \
        "Dropout(0.2) is where they part" in verdict.message
    assert types.compare(initializer, reference).passed  # the outputs vouch for the function, not for initializers
    assert config.compare(initializer, reference).message == \
        "layer 1 Dense(8): kernel_initializer expected 'glorot_uniform', got 'he_normal'"
    assert "the reference's weights do not fit this model's: weight 1 (layer 1 Dense(9)) has shape (6, 9), the " \
           "reference's (layer 1 Dense(8)) (6, 8)" in types.compare(wider, reference).message

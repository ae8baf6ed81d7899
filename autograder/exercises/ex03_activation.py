from autograder.spec import (
    Case,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    OutputShapes,
    ParamCounts,
    Recipe,
    Trained,
    ValueEquals,
)

# Two rings that no straight line separates: what a network learns here comes from its activations.
CIRCLES = Recipe("circles", epochs=20, learning_rate=1e-2)
VALUES = [-3.0, -0.5, 0.0, 0.5, 3.0]


def _values_case(name: str, activation: str, values: list[float], hidden: bool = False) -> Case:
    return Case(name, dict(name=activation, values=values), function="apply_activation", hidden=hidden)


EXERCISE = Exercise(
    number=3,
    slug="activation",
    title="Non-linear activations as layers",
    concept="Activation",
    task="""
        Without an activation a stack of Dense layers is one linear map, however deep: it can only
        draw straight boundaries. An activation bends each layer's output: `relu` keeps positive
        values and zeroes the rest (outputs >= 0), `sigmoid` squashes into (0, 1) and `tanh` into
        (-1, 1). Keras also offers each activation as a layer of its own, `Activation(name)`.

        Write two functions:

        1. `build_model(input_dim, hidden_units, activation, num_classes)`: a Sequential model with
           `keras.Input(shape=(input_dim,))`, then for each entry `u` of `hidden_units` a
           `Dense(u)` *without* activation followed by `Activation(activation)`, and finally
           `Dense(num_classes)` followed by `Activation("softmax")`. So `hidden_units=(16, 16)` gives
           six layers: Dense, Activation, Dense, Activation, Dense, Activation.
        2. `apply_activation(name, values)`: the activation called `name` applied to every number of
           the list `values`, returned as a list of numbers (try `keras.activations.get(name)`).

        The grader trains a fresh copy of your model on two concentric rings of points (which no
        straight line separates) with `relu` and with `tanh`, and compares each with the reference
        trained the same way. Try `activation="linear"` yourself: it stays near 50%.
    """,
    keras3_notes="""
        Unchanged: `from keras.layers import Activation` and `Activation("relu")` work as in the post
        (`tensorflow.keras` is the same Keras 3 package). Start the model with `keras.Input(shape=...)`
        rather than `input_shape=` on the first layer. Activation functions take and return tensors:
        `keras.ops.convert_to_numpy(...)` turns the result into a NumPy array.
    """,
    functions=(Function("build_model", returns="model"), Function("apply_activation", returns="value")),
    cases=(
        Case("relu", dict(input_dim=2, hidden_units=(16, 16), activation="relu", num_classes=2)),
        Case("tanh", dict(input_dim=2, hidden_units=(16, 16), activation="tanh", num_classes=2)),
        _values_case("relu_values", "relu", VALUES),
        _values_case("sigmoid_values", "sigmoid", VALUES),
        ### BEGIN HIDDEN TESTS
        Case("sigmoid_digits", dict(input_dim=64, hidden_units=(32,), activation="sigmoid", num_classes=10),
             hidden=True),
        Case("elu_deep", dict(input_dim=13, hidden_units=(8, 8, 4), activation="elu", num_classes=3), hidden=True),
        _values_case("tanh_values", "tanh", [-20.0, -1.0, -0.1, 0.0, 0.25, 2.0, 20.0], hidden=True),
        _values_case("sigmoid_extremes", "sigmoid", [-40.0, -4.0, 1.5, 40.0], hidden=True),
        _values_case("elu_values", "elu", [-5.0, -1.0, -0.2, 0.0, 0.7, 6.0], hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2, function="build_model"),
        OutputShapes(points=1, function="build_model"),
        ParamCounts(points=1, function="build_model"),
        LayerConfig(points=2, function="build_model"),
        MetricAtLeast(Trained(CIRCLES), margin=0.05, points=2, cases=("relu", "tanh")),
        ValueEquals(tolerance=1e-4, points=2, function="apply_activation"),
    ),
)

from autograder.spec import (
    Case,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    Misconception,
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


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
BUILD_CASES = ("relu", "tanh", "sigmoid_digits", "elu_deep")
BLOCK = "model.add(layers.Dense(units))\n        model.add(layers.Activation(activation))"


MISCONCEPTIONS = (
    Misconception("activation inside Dense instead of its own layer",
        edits=(("model.add(layers.Dense(units))\n        model.add(layers.Activation(activation))",
          "model.add(layers.Dense(units, activation=activation))"),),
        # The same function is computed, so training and the parameter total are unchanged.
        fails=tuple(f"{case}.{check}" for case in BUILD_CASES
                    for check in ("layer_types", "output_shapes", "layer_config")),
        says="expected 6 layers, got 4", slow=True),
    Misconception("relu whatever activation is asked for",
        edits=(("layers.Activation(activation)", 'layers.Activation("relu")'),),
        # relu learns the rings as well as tanh does, so only the configuration gives it away.
        fails=("tanh.layer_config", "sigmoid_digits.layer_config", "elu_deep.layer_config"),
        says="layer 2 Activation: activation expected 'tanh', got 'relu'", slow=True),
    Misconception("linear hidden activations",
        edits=(("layers.Activation(activation)", 'layers.Activation("linear")'),),
        # Without a non-linearity the network draws a straight line through two rings: near chance.
        fails=("relu.layer_config", "relu.metric", "tanh.layer_config", "tanh.metric",
               "sigmoid_digits.layer_config", "elu_deep.layer_config"),
        says="layer 2 Activation: activation expected 'relu', got 'linear'", slow=True),
    Misconception("apply_activation always applies relu",
        edits=(("function = keras.activations.get(name)", "function = keras.activations.relu"),),
        fails=("sigmoid_values.value", "tanh_values.value", "sigmoid_extremes.value", "elu_values.value"),
        says="expected [0.0474259, 0.377541, 0.5, 0.622459, 0.952574], got [0.0, 0.0, 0.0, 0.5, 3.0]"),
    Misconception("activation inside Dense, in nested blocks",
        edits=((BLOCK, "model.add(keras.Sequential([layers.Dense(units, activation=activation)]))"),),
        # Nested blocks are flattened, and the task asks for Activation layers: the same function without
        # them still loses the structural checks (none of them is judged by behaviour here).
        fails=tuple(f"{case}.{check}" for case in BUILD_CASES
                    for check in ("layer_types", "output_shapes", "layer_config")),
        says="expected 6 layers, got 4", slow=True),
)
### END HIDDEN TESTS


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
    misconceptions=MISCONCEPTIONS,
)

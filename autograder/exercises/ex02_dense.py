from autograder.spec import (
    Case,
    EquivalentByBehaviour,
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

DIGITS = Recipe("digits_flat", epochs=15)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
BUILD_CASES = ("default", "narrow", "wine", "tiny")


MISCONCEPTIONS = (
    Misconception("bias left out of the count",
        edits=(("return inputs * units + units", "return inputs * units"),),
        fails=("count.value", "count_wide.value", "count_one.value"),
        says="expected 2,080, got 2,048"),
    Misconception("a float count (the bias added as 1.0)",
        edits=(("return inputs * units + units", "return (inputs + 1.0) * units"),),
        # The task asks for a number of parameters: equal as a number, but not an int.
        fails=("count.value", "count_wide.value", "count_one.value"),
        says="expected an int (2,080), got the float 2080.0: return an integer, e.g. int(...)"),
    Misconception("hidden width hard-coded to the example's 64",
        edits=(('layers.Dense(units, activation="relu")', 'layers.Dense(64, activation="relu")'),),
        fails=tuple(f"{case}.{check}" for case in ("narrow", "wine", "tiny")
                    for check in ("output_shapes", "param_counts", "layer_config")),
        says="layer 1 Dense(8): expected output (None, 8), got (None, 64)", slow=True),
    Misconception("tanh instead of relu in the hidden layer",
        edits=(('activation="relu"', 'activation="tanh"'),),
        fails=tuple(f"{case}.layer_config" for case in BUILD_CASES),
        says="layer 1 Dense(64): activation expected 'relu', got 'tanh'", slow=True),
    Misconception("every hidden weight starts at the same constant",
        edits=(('layers.Dense(units, activation="relu")',
          'layers.Dense(units, activation="relu", kernel_initializer=keras.initializers.Constant(0.1))'),),
        # The biases still tell the units apart enough to learn, so only the configuration says so.
        fails=tuple(f"{case}.layer_config" for case in BUILD_CASES),
        says="layer 1 Dense(64): kernel_initializer expected 'glorot_uniform', got 'Constant(value=0.1)'"),
    Misconception("tanh in a hidden Dense + Activation pair",
        edits=(('layers.Dense(units, activation="relu"),', 'layers.Dense(units), layers.Activation("tanh"),'),),
        # Structured otherwise than the reference, so judged by what it computes, which differs.
        fails=tuple(f"{case}.{check}" for case in BUILD_CASES
                    for check in ("layer_types", "output_shapes", "layer_config")),
        says="layer 2 Activation('tanh') is where they part (up to layer 1 Dense(64), the outputs equal those "
             "of the reference's layer 1 Dense(64) before its activation)", slow=True),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=2,
    slug="dense",
    title="Width of a Dense layer",
    concept="Dense",
    task="""
        A `Dense(units)` layer connects every input to each of its `units` outputs: it holds one
        weight per input and output pair plus one bias per output. The number of units is the layer's
        capacity. Write two functions:

        1. `build_classifier(num_features, num_classes, units)`: a Sequential model with an input of
           `num_features`, one hidden `Dense(units, activation="relu")` layer and a
           `Dense(num_classes, activation="softmax")` output.
        2. `dense_param_count(inputs, units)`: the number of parameters of a `Dense(units)` layer that
           receives `inputs` features, computed with the formula (do not build a layer).

        The grader trains your classifier on 8x8 handwritten digits (64 pixel features, 10 classes)
        once with 64 hidden units and once with only 8, and compares each with the reference trained
        the same way: watch how much accuracy the narrow layer loses.

        Equivalent spellings earn the same marks: an activation given as its own layer
        (`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
        what the model computes, with the reference's weights put into yours.
    """,
    keras3_notes="""
        Use `keras.Input(shape=(num_features,))` as the first element instead of `input_dim=` on
        the Dense layer, which Keras 3 accepts only with a warning.
    """,
    functions=(Function("build_classifier", returns="model"), Function("dense_param_count", returns="value")),
    cases=(
        Case("default", dict(num_features=64, num_classes=10, units=64)),
        Case("narrow", dict(num_features=64, num_classes=10, units=8)),
        Case("count", dict(inputs=64, units=32), function="dense_param_count"),
        ### BEGIN HIDDEN TESTS
        Case("wine", dict(num_features=13, num_classes=3, units=24), hidden=True),
        Case("tiny", dict(num_features=4, num_classes=2, units=7), hidden=True),
        Case("count_wide", dict(inputs=300, units=17), function="dense_param_count", hidden=True),
        Case("count_one", dict(inputs=1, units=1), function="dense_param_count", hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        # A Dense(units) + Activation("relu") pair is the hidden Dense(units, activation="relu") layer the task asks
        # for: a structure that differs from the reference's is judged by what it computes.
        EquivalentByBehaviour(LayerTypes(points=1, function="build_classifier")),
        EquivalentByBehaviour(OutputShapes(points=1, function="build_classifier")),
        ParamCounts(points=1, function="build_classifier"),
        EquivalentByBehaviour(LayerConfig(points=1, function="build_classifier")),
        MetricAtLeast(Trained(DIGITS), margin=0.05, points=2, cases=("default",)),
        # Eight units learn unevenly from one initialization to the next (0.66-0.87 over six seeds).
        MetricAtLeast(Trained(DIGITS), margin=0.15, points=2, cases=("narrow",)),
        ValueEquals(points=2, function="dense_param_count"),
    ),
    misconceptions=MISCONCEPTIONS,
)

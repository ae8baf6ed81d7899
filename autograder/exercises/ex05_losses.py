from autograder.spec import (
    Case,
    CompileSettings,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    Misconception,
    OutputShapes,
    ParamCounts,
    PropertyMatches,
    Recipe,
    Trained,
    ValueEquals,
)

DATA = "digits_flat"
LOSS_HINT = ("one-hot labels need loss='categorical_crossentropy', integer labels "
             "'sparse_categorical_crossentropy'")


def _build_case(name: str, input_dim: int, num_classes: int, label_format: str, hidden: bool = False) -> Case:
    return Case(name, dict(input_dim=input_dim, num_classes=num_classes, label_format=label_format),
                hidden=hidden)


def _one_hot_case(name: str, labels: list[int], num_classes: int, hidden: bool = False) -> Case:
    return Case(name, dict(labels=labels, num_classes=num_classes), function="to_one_hot", hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
LOSS_LINE = 'loss = "categorical_crossentropy" if label_format == "one_hot" else "sparse_categorical_crossentropy"'


MISCONCEPTIONS = (
    Misconception("categorical cross-entropy for integer labels too",
        edits=((LOSS_LINE, 'loss = "categorical_crossentropy"'),),
        # Fed integer labels, categorical cross-entropy cannot even start training.
        fails=("integer.loss", "integer.metric", "iris_integer.loss"),
        says="loss categorical_crossentropy, which expects one-hot labels; expected: loss "
             "sparse_categorical_crossentropy, which expects integer class labels"),
    Misconception("sparse cross-entropy for one-hot labels too",
        edits=((LOSS_LINE, 'loss = "sparse_categorical_crossentropy"'),),
        fails=("one_hot.loss", "one_hot.metric", "wine_one_hot.loss", "seven_one_hot.loss"),
        says="loss sparse_categorical_crossentropy, which expects integer class labels; expected: loss "
             "categorical_crossentropy, which expects one-hot labels"),
    Misconception("output width fixed at ten classes",
        edits=(('layers.Dense(num_classes, activation="softmax")', 'layers.Dense(10, activation="softmax")'),),
        fails=tuple(f"{case}.{check}" for case in ("wine_one_hot", "iris_integer", "seven_one_hot")
                    for check in ("output_shapes", "param_counts", "layer_config")),
        says="layer 2 Dense(3): expected output (None, 3), got (None, 10)"),
    Misconception("one-hot width taken from the labels",
        edits=(("keras.utils.to_categorical(labels, num_classes=num_classes)", "keras.utils.to_categorical(labels)"),),
        # Right whenever the largest class occurs; wrong when it does not.
        fails=("encode_missing_class.value",),
        says="expected [[0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]], "
             "got [[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]"),
    Misconception("one-hot rows of True and False",
        edits=(("keras.utils.to_categorical(labels, num_classes=num_classes)",
          "keras.utils.to_categorical(labels, num_classes=num_classes).astype(bool)"),),
        # A bool is not a number: the rows the task shows hold 0 and 1.
        fails=("encode.value", "encode_digits.value", "encode_missing_class.value"),
        says="got the list [[True, False, False], [False, False, True], [False, True, False], "
             "[False, False, True]]: a list of 4 lists of 3 numbers expected, got a list of 4 lists of 3 bools"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=5,
    slug="losses",
    title="Cross-entropy for more than two classes",
    concept="Loss functions",
    task="""
        A loss says how wrong the predictions are. Binary cross-entropy scores one probability per
        sample, for yes/no questions. With more classes the model outputs one probability per class
        (a `softmax` layer as wide as the number of classes) and the loss is categorical
        cross-entropy. It comes in two spellings that compute the same number from differently
        shaped labels: `categorical_crossentropy` takes one-hot rows (class 2 of 4 is
        `[0, 0, 1, 0]`), `sparse_categorical_crossentropy` takes the class ids themselves (`2`).

        Write two functions:

        1. `build_classifier(input_dim, num_classes, label_format)`: a Sequential model with
           `keras.Input(shape=(input_dim,))`, `Dense(32, activation="relu")` and
           `Dense(num_classes, activation="softmax")`, compiled with `optimizer="adam"`,
           `metrics=["accuracy"]` and the loss that fits `label_format`: `"categorical_crossentropy"`
           for `"one_hot"`, `"sparse_categorical_crossentropy"` for `"integer"`.
        2. `to_one_hot(labels, num_classes)`: the integer class ids in `labels` as one-hot rows of
           length `num_classes` (a list of lists or a 2-D array), even when some class does not occur.

        The grader reads the loss you compiled with and trains a fresh copy of your model with your
        optimizer and loss on handwritten digits (10 classes), feeding one-hot labels in the
        `"one_hot"` case and integer labels in the `"integer"` case. A loss that does not match the
        labels' format fails.
    """,
    keras3_notes="""
        The post's `from tensorflow.keras.losses import BinaryCrossentropy` is unchanged, and so are
        `keras.losses.CategoricalCrossentropy()` and `SparseCategoricalCrossentropy()`; the strings
        used here name the same losses. `keras.utils.to_categorical` still makes one-hot rows.
        With `metrics=["accuracy"]`, Keras 3 picks the accuracy that matches the labels' format.
    """,
    functions=(Function("build_classifier", returns="model"), Function("to_one_hot", returns="value")),
    cases=(
        _build_case("one_hot", 64, 10, "one_hot"),
        _build_case("integer", 64, 10, "integer"),
        _one_hot_case("encode", [0, 2, 1, 2], 3),
        ### BEGIN HIDDEN TESTS
        _build_case("wine_one_hot", 13, 3, "one_hot", hidden=True),
        _build_case("iris_integer", 4, 3, "integer", hidden=True),
        _build_case("seven_one_hot", 20, 7, "one_hot", hidden=True),
        _one_hot_case("encode_digits", [4, 0, 9, 3, 3], 10, hidden=True),
        _one_hot_case("encode_missing_class", [1, 1, 0], 4, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=1, function="build_classifier"),
        OutputShapes(points=2, function="build_classifier"),
        ParamCounts(points=1, function="build_classifier"),
        LayerConfig(points=1, function="build_classifier"),
        PropertyMatches(CompileSettings(), "loss", points=3, hint=LOSS_HINT, function="build_classifier"),
        MetricAtLeast(Trained(Recipe(DATA, epochs=10, compile="student", labels="one_hot")), margin=0.05,
                      points=2, cases=("one_hot",)),
        MetricAtLeast(Trained(Recipe(DATA, epochs=10, compile="student")), margin=0.05, points=2,
                      cases=("integer",)),
        ValueEquals(points=2, function="to_one_hot"),
    ),
    misconceptions=MISCONCEPTIONS,
)

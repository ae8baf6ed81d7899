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

CNN, POOL = "build_pooled_cnn", "pool_values"
DIGITS = Recipe("digits_images", epochs=5)

GRID = ((1, 3, 2, 0),
        (4, 6, 5, 1),
        (7, 2, 9, 8),
        (0, 1, 3, 4))


def _cnn_case(name: str, input_shape: tuple, num_classes: int, pooling: str, pool_size: int,
              hidden: bool = False) -> Case:
    return Case(name, dict(input_shape=input_shape, num_classes=num_classes, pooling=pooling, pool_size=pool_size),
                function=CNN, hidden=hidden)


def _pool_case(name: str, values: tuple, pooling: str, pool_size: int, hidden: bool = False) -> Case:
    return Case(name, dict(values=values, pooling=pooling, pool_size=pool_size), function=POOL, hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
MISCONCEPTIONS = (
    Misconception("always max pooling in the CNN",
        edits=(("POOLING_LAYERS[pooling](pool_size),", "layers.MaxPooling2D(pool_size),"),),
        # Shapes, parameters and pooling configuration agree; only the layer's class differs, and max
        # pooling trains about as well as average pooling on digits.
        fails=("average.layer_types", "rgb_average_4.layer_types"),
        says="layer 2: expected AveragePooling2D(2x2) -> (None, 4, 4, 16), got MaxPooling2D(2x2)", slow=True),
    Misconception("pool size fixed at 2 in the CNN",
        edits=(("POOLING_LAYERS[pooling](pool_size),", "POOLING_LAYERS[pooling](2),"),),
        # The public cases pool by 2, so only the hidden ones catch it.
        fails=("rgb_average_4.output_shapes", "rgb_average_4.param_counts", "rgb_average_4.layer_config",
               "max_3.output_shapes", "max_3.param_counts", "max_3.layer_config"),
        says="layer 2 AveragePooling2D(4x4): expected output (None, 4, 4, 16), got (None, 8, 8, 16)", slow=True),
    Misconception("pooling values with same padding",
        edits=(("POOLING_LAYERS[pooling](pool_size)(grid", 'POOLING_LAYERS[pooling](pool_size, padding="same")(grid'),),
        # Only a grid that windows do not tile exactly (5x5 by 2) keeps the partial windows.
        fails=("odd_max.value",),
        says="expected [[-1.0, 4.0], [8.0, -6.0]], got [[-1.0, 4.0, 9.0], [8.0, -6.0, 9.0], [9.0, 9.0, 9.0]]"),
    Misconception("pooling values always by maximum",
        edits=(("POOLING_LAYERS[pooling](pool_size)(grid", "layers.MaxPooling2D(pool_size)(grid"),),
        fails=("grid_average.value", "wide_average_3.value"),
        says="expected [[3.5, 2.0], [2.5, 6.0]], got [[6.0, 5.0], [7.0, 9.0]]"),
    Misconception("pooled grid squeezed, losing a single row",
        edits=(("keras.ops.convert_to_numpy(pooled)[0, :, :, 0].tolist()", "keras.ops.convert_to_numpy(pooled).squeeze().tolist()"),),
        # A 2x6 grid pooled by 2 is one row of three: squeezed, it is no longer a list of rows.
        fails=("negative_max.value",),
        says="expected the list [[-3.0, -1.0, -1.0]], got the list [-3.0, -1.0, -1.0]: the nesting differs, "
             "a list of 1 list of 3 numbers expected, got a list of 3 numbers"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=11,
    slug="pooling",
    title="Max pooling against average pooling",
    concept="MaxPooling2D / AveragePooling2D",
    task="""
        A pooling layer shrinks each feature map by summarizing every `pool_size` x `pool_size`
        window in one number: `MaxPooling2D` keeps the window's largest value (the strongest
        response), `AveragePooling2D` its mean (the overall level). Windows do not overlap (the
        stride defaults to the pool size) and, with the default "valid" padding, rows and columns
        that do not fill a whole window are dropped: 5x5 pooled by 2 gives 2x2. Pooling learns
        nothing, so it has no parameters. Write two functions; `pooling` is "max" or "average".

        1. `build_pooled_cnn(input_shape, num_classes, pooling, pool_size)` returns a Sequential
           model: `keras.Input(shape=input_shape)`,
           `Conv2D(16, (3, 3), padding="same", activation="relu")`, then `MaxPooling2D(pool_size)`
           or `AveragePooling2D(pool_size)` as `pooling` says, `Flatten()` and
           `Dense(num_classes, activation="softmax")`.
        2. `pool_values(values, pooling, pool_size)` pools a 2-D grid of numbers (a list of rows)
           with the Keras layer `pooling` names and returns the pooled grid as a list of rows (the
           layer wants a batch of images: shape `(1, height, width, 1)`).

        The grader trains a fresh copy of your CNN on 8x8 digits with each kind of pooling and
        compares it with the reference trained the same way: see whether max or average pooling
        does better. It also pools grids you have not seen, including odd sizes and negative values.
    """,
    keras3_notes="""
        Unchanged: `MaxPooling2D(pool_size=(2, 2))` and `AveragePooling2D` work as in the post; an
        int pool size means a square window. Only the model's input changed:
        `keras.Input(shape=...)` rather than `input_shape=` on the first layer.
    """,
    functions=(Function(CNN, returns="model"), Function(POOL, returns="value")),
    cases=(
        _cnn_case("max", (8, 8, 1), 10, "max", 2),
        _cnn_case("average", (8, 8, 1), 10, "average", 2),
        _pool_case("grid_max", GRID, "max", 2),
        _pool_case("grid_average", GRID, "average", 2),
        ### BEGIN HIDDEN TESTS
        _cnn_case("rgb_average_4", (16, 16, 3), 5, "average", 4, hidden=True),
        _cnn_case("max_3", (12, 12, 1), 2, "max", 3, hidden=True),
        _pool_case("odd_max", ((-1, -5, 2, 0, 9),
                               (-3, -2, 4, 1, 9),
                               (6, 5, -7, -8, 9),
                               (5, 8, -9, -6, 9),
                               (9, 9, 9, 9, 9)), "max", 2, hidden=True),
        _pool_case("negative_max", ((-4, -3, -8, -1, -2, -6),
                                    (-7, -9, -5, -5, -3, -1)), "max", 2, hidden=True),
        _pool_case("wide_average_3", tuple(tuple(float((3 * r + 2 * c) % 7) for c in range(9)) for r in range(6)),
                   "average", 3, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=1, function=CNN),
        OutputShapes(points=1, function=CNN),
        ParamCounts(points=1, function=CNN),
        LayerConfig(points=1, function=CNN),
        MetricAtLeast(Trained(DIGITS), margin=0.05, points=2, cases=("max", "average")),
        ValueEquals(tolerance=1e-5, points=2, function=POOL),
    ),
    misconceptions=MISCONCEPTIONS,
)

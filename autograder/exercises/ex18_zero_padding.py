from autograder.spec import (
    Case,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    Misconception,
    OutputShapes,
    ParamCounts,
    ValueEquals,
)

CNN, PADDING, PAD = "build_same_size_cnn", "same_size_padding", "zero_pad"

GRID = ((1, 2, 3),
        (4, 5, 6),
        (7, 8, 9))


def _cnn_case(name: str, input_shape: tuple, num_classes: int, kernel_sizes: tuple, filters: int,
              hidden: bool = False) -> Case:
    return Case(name, dict(input_shape=input_shape, num_classes=num_classes, kernel_sizes=kernel_sizes,
                           filters=filters), function=CNN, hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
CNN_CASES = ("cnn", "mixed_kernels", "pointwise")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


MISCONCEPTIONS = (
    Misconception("padding inside the convolution instead of ZeroPadding2D",
        edits=(("        model.add(layers.ZeroPadding2D(same_size_padding(k)))\n", ""),
         ('layers.Conv2D(filters, (k, k), activation="relu")',
          'layers.Conv2D(filters, (k, k), padding="same", activation="relu")')),
        # The feature maps keep their size and the parameters are the same, but the layer is not there.
        fails=each(CNN_CASES, "layer_types", "output_shapes", "layer_config"),
        says="expected 8 layers, got 5; layer 1: expected ZeroPadding2D(padding=((1, 1), (1, 1)))"),
    Misconception("padding of the whole kernel size minus one",
        edits=(("return (kernel_size - 1) // 2", "return kernel_size - 1"),),
        # A 1x1 kernel needs no padding either way, so padding_1 still passes.
        fails=("padding_3.value", "padding_5.value", "padding_7.value",
               *each(CNN_CASES, "output_shapes", "param_counts", "layer_config")),
        says="expected 1, got 2", slow=True),
    Misconception("padding fixed at 1",
        edits=(("layers.ZeroPadding2D(same_size_padding(k))", "layers.ZeroPadding2D(1)"),),
        # Right for the public 3x3 kernels only.
        fails=each(("mixed_kernels", "pointwise"), "output_shapes", "param_counts", "layer_config"),
        says="layer 2 Conv2D(6, 5x5): expected output (None, 10, 10, 6), got (None, 8, 8, 6)", slow=True),
    Misconception("np.pad instead of the layer",
        edits=(("    grid = np.asarray(values, dtype=\"float32\")\n    padded = layers.ZeroPadding2D(padding)(",
          "    return np.pad(np.asarray(values, dtype=\"float32\"), padding).tolist()\n    padded = ("),),
        # np.pad reads (0, 2) as 0 before and 2 after on both axes; Keras as 0 rows and 2 columns each side.
        fails=("pad_rows_columns.value",),
        says="expected [[0.0, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0], [0.0, 0.0, 4.0, 5.0, 6.0, 0.0, 0.0], "
             "[0.0, 0.0, 7.0, 8.0, 9.0, 0.0, 0.0]]", slow=True),
    Misconception("padding divided with / instead of //",
        edits=(("return (kernel_size - 1) // 2", "return (kernel_size - 1) / 2"),),
        # The task asks for an int; ZeroPadding2D refuses 1.0 as well, so the CNN cannot be built.
        fails=("padding_3.value", "padding_5.value", "padding_7.value", "padding_1.value",
               *each(CNN_CASES, "layer_types", "output_shapes", "param_counts", "layer_config")),
        says="expected an int (1), got the float 1.0: return an integer, e.g. int(...)"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=18,
    slug="zero_padding",
    title="Zero padding that keeps feature maps their size",
    concept="ZeroPadding2D",
    task="""
        A convolution with a k x k kernel and no padding loses k - 1 rows and columns: 8x8
        becomes 6x6 with a 3x3 kernel, and a stack of convolutions shrinks the map at every step.
        `ZeroPadding2D(padding)` adds a frame of zeros around every feature map first; padding
        `p` adds `p` rows at the top and at the bottom and `p` columns on each side. For an odd
        kernel size k, padding (k - 1) / 2 gives back exactly what the convolution takes away.
        Write three functions:

        1. `same_size_padding(kernel_size)` returns, as an int, the padding that keeps a
           convolution's output the size of its input for an odd `kernel_size`.
        2. `zero_pad(values, padding)` pads a 2-D grid of numbers (a list of rows) with the
           Keras layer `ZeroPadding2D(padding)` and returns the padded grid as a list of rows;
           pass `padding` to the layer as given (an int, `(rows, columns)`, or
           `((top, bottom), (left, right))`). The layer wants shape `(1, height, width, 1)`.
        3. `build_same_size_cnn(input_shape, num_classes, kernel_sizes, filters)` returns a
           Sequential model: `keras.Input(shape=input_shape)`, then for each `k` in
           `kernel_sizes`: `ZeroPadding2D(same_size_padding(k))` followed by
           `Conv2D(filters, (k, k), activation="relu")` (default "valid" padding), then
           `Flatten()` and `Dense(num_classes, activation="softmax")`.

        The grader checks that every feature map of your model keeps the input's height and
        width, and pads grids you have not seen, with other and uneven paddings.
    """,
    keras3_notes="""
        Unchanged: `ZeroPadding2D(padding=(1, 1))` works as in the post. Only the model's input
        changed: `keras.Input(shape=...)` rather than `input_shape=` on the first layer.
        `Conv2D(..., padding="same")` pads inside the convolution to the same effect, but this
        exercise is about the explicit layer.
    """,
    functions=(Function(PADDING, returns="value"), Function(PAD, returns="value"), Function(CNN, returns="model")),
    cases=(
        Case("padding_3", dict(kernel_size=3), function=PADDING),
        Case("pad_grid", dict(values=GRID, padding=1), function=PAD),
        _cnn_case("cnn", (8, 8, 1), 10, (3, 3, 3), 8),
        ### BEGIN HIDDEN TESTS
        Case("padding_5", dict(kernel_size=5), function=PADDING, hidden=True),
        Case("padding_7", dict(kernel_size=7), function=PADDING, hidden=True),
        Case("padding_1", dict(kernel_size=1), function=PADDING, hidden=True),
        Case("pad_wide", dict(values=((1, -2, 3), (4, 5, -6)), padding=2), function=PAD, hidden=True),
        Case("pad_rows_columns", dict(values=GRID, padding=(0, 2)), function=PAD, hidden=True),
        Case("pad_uneven", dict(values=((7, 8), (9, 10)), padding=((1, 0), (2, 1))), function=PAD, hidden=True),
        _cnn_case("mixed_kernels", (10, 10, 3), 4, (5, 3, 7), 6, hidden=True),
        _cnn_case("pointwise", (6, 6, 1), 2, (1, 3), 4, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        ValueEquals(points=1, function=PADDING),
        ValueEquals(points=2, function=PAD),
        LayerTypes(points=1, function=CNN),
        OutputShapes(points=2, function=CNN),
        ParamCounts(points=1, function=CNN),
        LayerConfig(points=1, function=CNN),
    ),
    misconceptions=MISCONCEPTIONS,
)

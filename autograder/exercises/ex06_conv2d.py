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
)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
CASES = ("default", "rgb_deeper", "single")


MISCONCEPTIONS = (
    Misconception("only the first convolution",
        edits=(("for count in filters:", "for count in filters[:1]:"),),
        fails=tuple(f"{case}.{check}" for case in ("default", "rgb_deeper")
                    for check in ("layer_types", "output_shapes", "param_counts", "layer_config")),
        says="expected 4 layers, got 3", slow=True),
    Misconception("same padding keeps 8x8 maps",
        edits=(('layers.Conv2D(count, (3, 3), activation="relu")',
          'layers.Conv2D(count, (3, 3), activation="relu", padding="same")'),),
        # padding="same" is a setting of its own: the configuration names it too.
        fails=tuple(f"{case}.{check}" for case in CASES for check in ("output_shapes", "param_counts", "layer_config")),
        says="layer 1 Conv2D(16, 3x3): expected output (None, 6, 6, 16), got (None, 8, 8, 16)", slow=True),
    Misconception("convolutions without activation",
        edits=(('layers.Conv2D(count, (3, 3), activation="relu")', "layers.Conv2D(count, (3, 3))"),),
        fails=tuple(f"{case}.layer_config" for case in CASES),
        says="layer 1 Conv2D(16, 3x3): activation expected 'relu', got 'linear'"),
    Misconception("pooling after every convolution",
        edits=(('model.add(layers.Conv2D(count, (3, 3), activation="relu"))',
          'model.add(layers.Conv2D(count, (3, 3), activation="relu"))\n'
          '        model.add(layers.MaxPooling2D(pool_size=1))'),),
        # Pooling layers hold no weights, so the parameter count still matches.
        fails=tuple(f"{case}.{check}" for case in CASES for check in ("layer_types", "output_shapes", "layer_config")),
        says="unexpected MaxPooling2D(1x1)", slow=True),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=6,
    slug="conv2d",
    title="A deeper convolutional network",
    concept="Conv2D",
    task="""
        A `Conv2D(filters, (3, 3))` layer slides `filters` small 3x3 windows over an image and
        outputs one feature map per window. Without padding, each 3x3 convolution trims one pixel from
        every border, so an 8x8 image becomes 6x6 and then 4x4. Stacking convolutions lets later
        layers combine the edges found by earlier ones.

        Write `build_cnn(input_shape, num_classes, filters)` that returns a Sequential model:

        1. `keras.Input(shape=input_shape)` (height, width, channels);
        2. one `Conv2D(f, (3, 3), activation="relu")` per entry `f` of `filters`, in order
           (default padding, "valid");
        3. `Flatten()`, then `Dense(num_classes, activation="softmax")`.

        The grader trains a fresh copy on scikit-learn's 8x8 digits with filters (16, 32) and compares
        it with the reference; other image sizes, channel counts and depths are checked too.
    """,
    keras3_notes="""
        `keras.Input(shape=(8, 8, 1))` replaces `input_shape=` on the first Conv2D. The layer itself is
        unchanged from the post: `Conv2D(32, (3, 3), activation="relu")`.
    """,
    functions=(Function("build_cnn", returns="model"),),
    cases=(
        Case("default", dict(input_shape=(8, 8, 1), num_classes=10, filters=(16, 32))),
        ### BEGIN HIDDEN TESTS
        Case("rgb_deeper", dict(input_shape=(12, 12, 3), num_classes=5, filters=(8, 16, 32)), hidden=True),
        Case("single", dict(input_shape=(10, 10, 1), num_classes=2, filters=(4,)), hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2),
        OutputShapes(points=2),
        ParamCounts(points=2),
        LayerConfig(points=2),
        MetricAtLeast(Trained(Recipe("digits_images", epochs=10)), margin=0.05, points=2, cases=("default",)),
    ),
    misconceptions=MISCONCEPTIONS,
)

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
)

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
)

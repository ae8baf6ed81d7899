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

# A high learning rate makes ten epochs enough for the kernel sizes of both metric cases to converge.
WAVES = Recipe("waveforms", epochs=10, learning_rate=0.01)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
MODEL_CASES = ("default", "wide", "multichannel", "short")
SIZE_CASES = ("sizes", "sizes_wide", "sizes_whole")


MISCONCEPTIONS = (
    Misconception("same padding keeps the length",
        edits=(('layers.Conv1D(filters, kernel_size, activation="relu")',
          'layers.Conv1D(filters, kernel_size, padding="same", activation="relu")'),),
        # Same padding does not change what the pooled model learns, only the sequence it pools over.
        fails=tuple(f"{case}.{check}" for case in MODEL_CASES for check in ("output_shapes", "layer_config")),
        says="layer 1 Conv1D(16, 3): expected output (None, 62, 16), got (None, 64, 16)", slow=True),
    Misconception("kernel size hard-coded to the post's 3",
        edits=(("layers.Conv1D(filters, kernel_size,", "layers.Conv1D(filters, 3,"),),
        # The kernel-3 model still classifies the waves well enough for the wide case's threshold.
        fails=tuple(f"{case}.{check}" for case in ("wide", "multichannel", "short")
                    for check in ("output_shapes", "param_counts", "layer_config")),
        says="layer 1 Conv1D(16, 5): expected output (None, 60, 16), got (None, 62, 16)", slow=True),
    Misconception("Flatten instead of global pooling",
        edits=(("layers.GlobalMaxPooling1D()", "layers.Flatten()"),),
        # Flatten ties each weight to one position, so waves of random phase are learned poorly.
        fails=tuple(f"{case}.{check}" for case in MODEL_CASES
                    for check in ("layer_types", "output_shapes", "param_counts"))
        + ("default.metric", "wide.metric"),
        says="layer 2: expected GlobalMaxPooling1D -> (None, 16), got Flatten -> (None, 992)", slow=True),
    Misconception("parameter count without biases",
        edits=(('"params": kernel_size * channels * filters + filters', '"params": kernel_size * channels * filters'),),
        fails=tuple(f"{case}.value" for case in SIZE_CASES),
        says="expected {'output_length': 62, 'params': 64}, got {'output_length': 62, 'params': 48}"),
    Misconception("output length from the strided formula, a float",
        edits=(('"output_length": timesteps - kernel_size + 1', '"output_length": (timesteps - kernel_size) / 1 + 1'),),
        # (T - k) / stride + 1 divides: a length is an int.
        fails=tuple(f"{case}.value" for case in SIZE_CASES),
        says="at ['output_length']: expected an int (62), got the float 62.0: return an integer, e.g. int(...)"),
    Misconception("windows that skip every other step",
        edits=(("layers.Conv1D(filters, kernel_size, activation=\"relu\")",
          "layers.Conv1D(filters, kernel_size, strides=2, activation=\"relu\")"),),
        # GlobalMaxPooling1D hides the shorter sequence from every later layer and from the counts.
        fails=tuple(f"{case}.{check}" for case in MODEL_CASES for check in ("layer_config", "output_shapes"))
        + ("default.metric",),
        says="layer 1 Conv1D(16, 3): strides expected (1,), got (2,)"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=15,
    slug="conv1d",
    title="Kernel size of a 1-D convolution",
    concept="Conv1D",
    task="""
        A `Conv1D(filters, kernel_size)` layer slides `filters` windows of `kernel_size` consecutive
        steps along a sequence; every window sees all input channels. With the default "valid" padding
        the window never hangs over an end, so a sequence of `T` steps gives `T - kernel_size + 1`
        outputs per filter, and the layer holds `kernel_size * channels * filters` weights plus one
        bias per filter.

        Write two functions:

        1. `build_conv1d(timesteps, channels, num_classes, kernel_size, filters)`: a Sequential model
           made of `keras.Input(shape=(timesteps, channels))`, then
           `Conv1D(filters, kernel_size, activation="relu")` (default padding), then
           `GlobalMaxPooling1D()` (the strongest response of each filter, wherever it occurs), then
           `Dense(num_classes, activation="softmax")`.
        2. `conv1d_sizes(timesteps, channels, kernel_size, filters)`: return the dict
           `{"output_length": ..., "params": ...}` for such a Conv1D layer, computed with the formulas
           above (do not build a layer).

        The grader trains a fresh copy of your model on noisy sine, square and sawtooth waves (64 steps,
        one channel, 3 classes) once with `kernel_size=3` and once with `kernel_size=5`, and compares
        each with the reference trained the same way. Other lengths, channel counts and kernel sizes are
        checked too.
    """,
    keras3_notes="""
        `keras.Input(shape=(timesteps, channels))` replaces `input_shape=` on the first Conv1D. The layer
        is unchanged from the post: `Conv1D(32, kernel_size=3, activation="relu")`.
    """,
    functions=(Function("build_conv1d", returns="model"), Function("conv1d_sizes", returns="value")),
    cases=(
        Case("default", dict(timesteps=64, channels=1, num_classes=3, kernel_size=3, filters=16)),
        Case("wide", dict(timesteps=64, channels=1, num_classes=3, kernel_size=5, filters=16)),
        Case("sizes", dict(timesteps=64, channels=1, kernel_size=3, filters=16), function="conv1d_sizes"),
        ### BEGIN HIDDEN TESTS
        Case("multichannel", dict(timesteps=50, channels=3, num_classes=4, kernel_size=7, filters=8), hidden=True),
        Case("short", dict(timesteps=10, channels=2, num_classes=2, kernel_size=2, filters=5), hidden=True),
        Case("sizes_wide", dict(timesteps=100, channels=3, kernel_size=7, filters=32), function="conv1d_sizes",
             hidden=True),
        Case("sizes_whole", dict(timesteps=5, channels=2, kernel_size=5, filters=1), function="conv1d_sizes",
             hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2, function="build_conv1d"),
        OutputShapes(points=2, function="build_conv1d"),
        ParamCounts(points=2, function="build_conv1d"),
        LayerConfig(points=2, function="build_conv1d"),
        MetricAtLeast(Trained(WAVES), margin=0.06, points=2, cases=("default", "wide")),
        ValueEquals(points=2, function="conv1d_sizes"),
    ),
    misconceptions=MISCONCEPTIONS,
)

"""Exercise 15 - Conv1D: Kernel size of a 1-D convolution

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

Keras 3 note:
`keras.Input(shape=(timesteps, channels))` replaces `input_shape=` on the first Conv1D. The layer
is unchanged from the post: `Conv1D(32, kernel_size=3, activation="relu")`.

Check your work: tfgrade check 15   (22 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_conv1d(timesteps, channels, num_classes, kernel_size=3, filters=16):
    """Return an uncompiled time-series classifier:
    Input((timesteps, channels)) -> Conv1D(filters, kernel_size, relu) -> GlobalMaxPooling1D
    -> Dense(num_classes, softmax).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def conv1d_sizes(timesteps, channels, kernel_size, filters):
    """Return {"output_length": ..., "params": ...} for Conv1D(filters, kernel_size) with the default
    "valid" padding on a (timesteps, channels) input, computed with the formulas (build no layer)."""
    # YOUR CODE HERE
    raise NotImplementedError()

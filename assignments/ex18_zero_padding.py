"""Exercise 18 - ZeroPadding2D: Zero padding that keeps feature maps their size

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

Keras 3 note:
Unchanged: `ZeroPadding2D(padding=(1, 1))` works as in the post. Only the model's input
changed: `keras.Input(shape=...)` rather than `input_shape=` on the first layer.
`Conv2D(..., padding="same")` pads inside the convolution to the same effect, but this
exercise is about the explicit layer.

Check your work: tfgrade check 18   (8 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
import numpy as np
from keras import layers


def same_size_padding(kernel_size):
    """Return the int padding that keeps a convolution's output size for an odd `kernel_size`."""
    # YOUR CODE HERE
    raise NotImplementedError()


def zero_pad(values, padding):
    """Return the 2-D grid `values` padded by ZeroPadding2D(padding), as a list of rows."""
    # YOUR CODE HERE
    raise NotImplementedError()


def build_same_size_cnn(input_shape, num_classes, kernel_sizes, filters):
    """Return an uncompiled CNN: for each k in `kernel_sizes`, ZeroPadding2D then a valid k x k ReLU
    Conv2D that keeps the feature maps' size; then Flatten and a softmax Dense."""
    # YOUR CODE HERE
    raise NotImplementedError()

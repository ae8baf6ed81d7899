"""Exercise 11 - MaxPooling2D / AveragePooling2D: Max pooling against average pooling

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

Keras 3 note:
Unchanged: `MaxPooling2D(pool_size=(2, 2))` and `AveragePooling2D` work as in the post; an
int pool size means a square window. Only the model's input changed:
`keras.Input(shape=...)` rather than `input_shape=` on the first layer.

Check your work: tfgrade check 11   (16 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
import numpy as np
from keras import layers

POOLING_LAYERS = {"max": layers.MaxPooling2D, "average": layers.AveragePooling2D}


def build_pooled_cnn(input_shape, num_classes, pooling, pool_size):
    """Return an uncompiled CNN: Conv2D(16, 3x3, same, relu), max or average pooling by `pool_size`,
    Flatten, softmax Dense."""
    # YOUR CODE HERE
    raise NotImplementedError()


def pool_values(values, pooling, pool_size):
    """Return the 2-D grid `values` pooled by the Keras pooling layer `pooling` ("max" or "average"),
    as a list of rows."""
    # YOUR CODE HERE
    raise NotImplementedError()

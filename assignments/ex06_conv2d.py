"""Exercise 06 - Conv2D: A deeper convolutional network

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

Keras 3 note:
`keras.Input(shape=(8, 8, 1))` replaces `input_shape=` on the first Conv2D. The layer itself is
unchanged from the post: `Conv2D(32, (3, 3), activation="relu")`.

Check your work: tfgrade check 6   (10 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_cnn(input_shape, num_classes, filters=(16, 32)):
    """Return an uncompiled CNN: one 3x3 ReLU Conv2D per entry of `filters`, Flatten, softmax Dense."""
    # YOUR CODE HERE
    raise NotImplementedError()

"""Exercise 05 - Loss functions: Cross-entropy for more than two classes

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

Keras 3 note:
The post's `from tensorflow.keras.losses import BinaryCrossentropy` is unchanged, and so are
`keras.losses.CategoricalCrossentropy()` and `SparseCategoricalCrossentropy()`; the strings
used here name the same losses. `keras.utils.to_categorical` still makes one-hot rows.
With `metrics=["accuracy"]`, Keras 3 picks the accuracy that matches the labels' format.

Check your work: tfgrade check 5   (22 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_classifier(input_dim, num_classes, label_format):
    """Return a compiled multi-class classifier: input -> Dense(32, relu) -> Dense(num_classes, softmax),
    compiled with optimizer="adam", metrics=["accuracy"] and the cross-entropy loss that matches
    `label_format`: "one_hot" rows or "integer" class ids."""
    # YOUR CODE HERE
    raise NotImplementedError()


def to_one_hot(labels, num_classes):
    """Return the integer `labels` as one-hot rows of length `num_classes` (a list of lists or an array)."""
    # YOUR CODE HERE
    raise NotImplementedError()

"""Exercise 02 - Dense: Width of a Dense layer

A `Dense(units)` layer connects every input to each of its `units` outputs: it holds one
weight per input and output pair plus one bias per output. The number of units is the layer's
capacity. Write two functions:

1. `build_classifier(num_features, num_classes, units)`: a Sequential model with an input of
   `num_features`, one hidden `Dense(units, activation="relu")` layer and a
   `Dense(num_classes, activation="softmax")` output.
2. `dense_param_count(inputs, units)`: the number of parameters of a `Dense(units)` layer that
   receives `inputs` features, computed with the formula (do not build a layer).

The grader trains your classifier on 8x8 handwritten digits (64 pixel features, 10 classes)
once with 64 hidden units and once with only 8, and compares each with the reference trained
the same way: watch how much accuracy the narrow layer loses.

Equivalent spellings earn the same marks: an activation given as its own layer
(`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
what the model computes, with the reference's weights put into yours.

Keras 3 note:
Use `keras.Input(shape=(num_features,))` as the first element instead of `input_dim=` on
the Dense layer, which Keras 3 accepts only with a warning.

Check your work: tfgrade check 2   (14 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_classifier(num_features, num_classes, units):
    """Return an uncompiled Sequential model: input -> Dense(units, relu) -> Dense(num_classes, softmax)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def dense_param_count(inputs, units):
    """Return the number of parameters (weights and biases) of Dense(units) on `inputs` features."""
    # YOUR CODE HERE
    raise NotImplementedError()

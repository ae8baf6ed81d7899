"""Exercise 03 - Activation: Non-linear activations as layers

Without an activation a stack of Dense layers is one linear map, however deep: it can only
draw straight boundaries. An activation bends each layer's output: `relu` keeps positive
values and zeroes the rest (outputs >= 0), `sigmoid` squashes into (0, 1) and `tanh` into
(-1, 1). Keras also offers each activation as a layer of its own, `Activation(name)`.

Write two functions:

1. `build_model(input_dim, hidden_units, activation, num_classes)`: a Sequential model with
   `keras.Input(shape=(input_dim,))`, then for each entry `u` of `hidden_units` a
   `Dense(u)` *without* activation followed by `Activation(activation)`, and finally
   `Dense(num_classes)` followed by `Activation("softmax")`. So `hidden_units=(16, 16)` gives
   six layers: Dense, Activation, Dense, Activation, Dense, Activation.
2. `apply_activation(name, values)`: the activation called `name` applied to every number of
   the list `values`, returned as a list of numbers (try `keras.activations.get(name)`).

The grader trains a fresh copy of your model on two concentric rings of points (which no
straight line separates) with `relu` and with `tanh`, and compares each with the reference
trained the same way. Try `activation="linear"` yourself: it stays near 50%.

Keras 3 note:
Unchanged: `from keras.layers import Activation` and `Activation("relu")` work as in the post
(`tensorflow.keras` is the same Keras 3 package). Start the model with `keras.Input(shape=...)`
rather than `input_shape=` on the first layer. Activation functions take and return tensors:
`keras.ops.convert_to_numpy(...)` turns the result into a NumPy array.

Check your work: tfgrade check 3   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_model(input_dim, hidden_units, activation, num_classes):
    """Return an uncompiled Sequential classifier whose activations are separate layers.

    Each entry of hidden_units gives a Dense layer without activation followed by
    Activation(activation); the output is Dense(num_classes) followed by Activation("softmax").
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def apply_activation(name, values):
    """Return the activation called `name` (e.g. "relu") applied to each number of `values`, as a list."""
    # YOUR CODE HERE
    raise NotImplementedError()

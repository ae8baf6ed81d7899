"""Exercise 07 - Dropout: Dropout against overfitting

A `Dropout(rate)` layer sets a random fraction `rate` of its inputs to zero on every training
step (and scales the rest up by `1 / (1 - rate)`), so no unit can rely on one particular
neighbour. At inference it does nothing: predictions stay deterministic.

Write `build_model(input_dim, hidden_units, rate)` that returns a Sequential model:

1. `keras.Input(shape=(input_dim,))`;
2. for each entry `u` of `hidden_units`, in order: `Dense(u, activation="relu")` followed by
   `Dropout(rate)`;
3. a `Dense(1, activation="sigmoid")` output.

Do not compile or train it. The grader checks that two calls with `training=False` agree while
two calls with `training=True` differ, then trains a fresh copy on a small, noisy two-class
problem (20 features) with `rate=0.3` and with `rate=0.7` and compares the held-out accuracy
of each with the reference's. Try it yourself: train both rates (and `rate=0.0`) for 20 epochs
and compare training accuracy with validation accuracy; the gap shrinks as the rate grows.

Keras 3 note:
`Dropout(0.5)` is unchanged from the post. Keras 3 decides whether it is active from the
`training` argument of the call (`fit` passes `training=True`, `predict` and `evaluate` pass
`training=False`), and a Dropout layer has no weights, so it adds no parameters. Start the model
with `keras.Input(shape=...)` rather than `input_shape=`.

Check your work: tfgrade check 7   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_model(input_dim, hidden_units=(64, 64), rate=0.3):
    """Return an uncompiled Sequential binary classifier with Dropout after every hidden layer.

    input_dim: number of input features.
    hidden_units: units of each hidden Dense(relu) layer, first to last.
    rate: the fraction of a hidden layer's outputs that Dropout sets to zero while training.
    """
    # YOUR CODE HERE
    raise NotImplementedError()

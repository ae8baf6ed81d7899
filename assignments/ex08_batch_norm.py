"""Exercise 08 - BatchNormalization: Batch normalization between layers

`BatchNormalization` rescales each feature using the mean and variance of the current batch
while training, so the next layer sees inputs of a stable scale, then applies a learned scale
(gamma) and shift (beta). It also keeps moving averages of the mean and variance, which it uses
instead at inference: those are weights, but no gradient updates them (non-trainable).

Write `build_model(input_dim, num_classes, hidden_units, batch_norm)` that returns a
Sequential model starting with `keras.Input(shape=(input_dim,))` and ending with
`Dense(num_classes, activation="softmax")`. In between, for each entry `u` of `hidden_units`:

- with `batch_norm=True`: `Dense(u, use_bias=False)`, then `BatchNormalization()`, then
  `Activation("relu")` (the normalization's beta does the bias's job, so the Dense needs none);
- with `batch_norm=False` (the baseline): `Dense(u, activation="relu")`.

Do not compile or train it. The grader checks the parameter counts (a BatchNormalization over
C features holds 2C trainable and 2C non-trainable values), that each normalization layer
outputs features of mean 0 and std 1 over a training batch, and trains fresh copies of both
variants for only 3 epochs (batches of 16) on handwritten digits: the normalized one should
get further.

Equivalent spellings earn the same marks: an activation given as its own layer
(`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
what the model computes, with the reference's weights put into yours.

Keras 3 note:
`BatchNormalization()` is unchanged from the post. In Keras 3 it normalizes with the batch's
statistics only when called with `training=True` (inside `fit`); `predict` uses the moving
averages. `Activation("relu")` as a separate layer puts the normalization between the Dense
layer's output and its activation.

Check your work: tfgrade check 8   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_model(input_dim, num_classes, hidden_units=(64, 64, 64), batch_norm=True):
    """Return an uncompiled Sequential classifier, with or without batch normalization.

    input_dim: number of input features; num_classes: number of softmax outputs.
    hidden_units: units of each hidden layer, first to last.
    batch_norm: True gives Dense(u, use_bias=False) -> BatchNormalization() -> Activation("relu") per
        hidden layer; False gives the baseline Dense(u, activation="relu").
    """
    # YOUR CODE HERE
    raise NotImplementedError()

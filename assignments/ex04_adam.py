"""Exercise 04 - Adam: Adam and its learning rate

An optimizer turns the gradient of the loss into weight updates. Adam adapts the step of
every weight, but one number still sets the scale of every step: the learning rate. Too
small and the weights hardly move; too large and every step overshoots, so the loss stops
falling or blows up.

Write two functions:

1. `compile_with_adam(model, learning_rate)`: compile the model it receives with
   `optimizer=keras.optimizers.Adam(learning_rate=learning_rate)`,
   `loss="sparse_categorical_crossentropy"` and `metrics=["accuracy"]`, and return it.
2. `best_learning_rate(model, x_train, y_train, learning_rates, epochs)`: for each rate, take
   a fresh copy of the model (`keras.models.clone_model(model)`), compile it with
   `compile_with_adam`, and `fit` it for `epochs` epochs with `batch_size=32`. Return the rate
   (one of `learning_rates`) whose copy ends with the lowest training loss (the last value of
   `history.history["loss"]`); a loss that is NaN counts as the worst.

The grader reads how your model was compiled, trains a fresh copy with your optimizer and loss
on handwritten digits, and runs your sweep on other rates and data too. Print the losses of
your sweep: which rates barely learn, and which overshoot?

Keras 3 note:
`Adam(learning_rate=0.001)` is unchanged from the post. The old spelling `Adam(lr=0.001)` raises
an error in Keras 3, and `decay=` is ignored: use a schedule from
`keras.optimizers.schedules` instead. `tensorflow.keras.optimizers.Adam` is the same class.

Check your work: tfgrade check 4   (13 points in public checks; your instructor's grading adds hidden cases)
"""

import math

import keras


def compile_with_adam(model, learning_rate):
    """Compile `model` with Adam at `learning_rate`, sparse categorical cross-entropy and accuracy;
    return the same model."""
    # YOUR CODE HERE
    raise NotImplementedError()


def best_learning_rate(model, x_train, y_train, learning_rates, epochs):
    """Train a fresh copy of `model` with Adam at each of `learning_rates` for `epochs` epochs
    (batch_size=32) and return the rate whose copy ends with the lowest training loss."""
    # YOUR CODE HERE
    raise NotImplementedError()

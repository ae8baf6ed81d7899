"""Exercise 09 - EarlyStopping: Stop training when validation loss stops improving

The model you receive is wide and the data small and noisy, so after a few epochs it starts
memorizing: training loss keeps falling while validation loss turns upward. The
`EarlyStopping` callback watches a quantity after every epoch and stops training once it has
not improved for `patience` epochs; with `restore_best_weights=True` it then puts back the
weights of the best epoch.

Write two functions:

1. `make_early_stopping(patience)`: return
   `keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
   restore_best_weights=True)`.
2. `train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience, epochs)`: call
   `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
   batch_size=32, callbacks=[make_early_stopping(patience)], verbose=0)` on the compiled model
   it is given, and return the `History` object that `fit` returns. `epochs` is a cap: training
   ends there even if validation loss is still improving.

The grader trains the same model itself with the callback your first function returns, on
data your code never sees, and checks where that training stops, which epoch's weights it
keeps and how well they do on held-out data. It compares your own training, epoch by
epoch, with the reference's on the same inputs: the same model, data and settings train to
the same numbers. Try several patience values: a larger patience trains longer past the best
epoch, and with `restore_best_weights=False` you keep the last, overfitted, weights.

Keras 3 note:
Monitor names follow the metric names given to `compile`: with `metrics=["accuracy"]` the
history has `val_accuracy`; the post's old `val_acc` raises an error in Keras 3 unless you
also pass `mode`. `val_loss` is always available when you pass validation data.

Check your work: tfgrade check 9   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras


def make_early_stopping(patience):
    """An EarlyStopping callback on val_loss with `patience` that restores the best epoch's weights."""
    # YOUR CODE HERE
    raise NotImplementedError()


def train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience, epochs):
    """Fit `model` for at most `epochs` epochs (batch 32) with `make_early_stopping(patience)`;
    return the History."""
    # YOUR CODE HERE
    raise NotImplementedError()

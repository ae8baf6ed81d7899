"""Exercise 09 - EarlyStopping: Stop training when validation loss stops improving

The model you receive is wide and the data small and noisy, so after a few epochs it starts
memorizing: training loss keeps falling while validation loss turns upward. The
`EarlyStopping` callback watches a quantity and stops training once it has not improved for
`patience` epochs.

Write `train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience)` that:

1. creates `keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
   restore_best_weights=True)`;
2. calls `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=100,
   batch_size=32, callbacks=[...], verbose=0)` on the compiled model it is given;
3. returns the `History` object that `fit` returns.

The grader checks where your training stopped relative to its best epoch, that the returned
model carries the best epoch's weights, and its accuracy on data your function never saw.
Try several patience values: a larger patience trains longer past the best epoch.

Keras 3 note:
Monitor names follow the metric names given to `compile`: with `metrics=["accuracy"]` the
history has `val_accuracy`; the post's old `val_acc` raises an error in Keras 3 unless you
also pass `mode`. `val_loss` is always available when you pass validation data.

Check your work: tfgrade check 9   (18 points in public checks; your instructor's grading adds hidden cases)
"""

import keras


def train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience):
    """Fit `model` for up to 100 epochs with early stopping on val_loss; return the History."""
    # YOUR CODE HERE
    raise NotImplementedError()

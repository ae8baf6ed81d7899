"""Exercise 20 - ModelCheckpoint: Keep the best model while training

The model you receive is wide and the data small and noisy: validation accuracy rises for a
few epochs, then wanders while the model memorizes the training data, so the model you have
after the last epoch is often not the best one you had. The `ModelCheckpoint` callback saves
the model to a file during training; with `save_best_only=True` it saves only when the
monitored quantity improves, so the file ends up holding the best epoch's model.

Write two functions:

1. `make_checkpoint(checkpoint_path)`: return
   `keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy", mode="max",
   save_best_only=True)`: higher accuracy is better, hence `mode="max"`.
2. `train_with_checkpoint(model, x_train, y_train, x_val, y_val, checkpoint_path, epochs)`:
   call `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
   batch_size=32, callbacks=[make_checkpoint(checkpoint_path)], verbose=0)` on the compiled
   model it is given (compiled with `metrics=["accuracy"]`, so the history records
   `val_accuracy`), and return the `History` object that `fit` returns.

`checkpoint_path` is a file name ending in `.keras`, in the directory your code runs in. The
grader trains the same model itself with the callback your first function returns, on data
your code never sees, and checks which epoch's model ends up in the file and how well it
does on held-out data. It compares your own training, epoch by epoch, with the reference's on
the same inputs, and the file your training saved with the reference's. Try
`monitor="val_loss"` or `save_best_only=False` and see which epoch the file keeps.

Keras 3 note:
Keras 3 saves whole models in the native `.keras` format: the post's `'best_model.h5'` still
works but is legacy HDF5, and a path without an extension is refused. With
`save_weights_only=True` the path must end in `.weights.h5`. The old `period=` argument is
gone (use `save_freq`). Monitor names follow the metrics given to `compile`:
`metrics=["accuracy"]` gives `val_accuracy`, not the old `val_acc`.

Check your work: tfgrade check 20   (18 points in public checks; your instructor's grading adds hidden cases)
"""

import keras


def make_checkpoint(checkpoint_path):
    """A ModelCheckpoint that saves the model to `checkpoint_path` (a .keras file) whenever val_accuracy
    reaches a new best."""
    # YOUR CODE HERE
    raise NotImplementedError()


def train_with_checkpoint(model, x_train, y_train, x_val, y_val, checkpoint_path, epochs):
    """Fit the compiled `model` for `epochs` epochs (batch 32) with validation data and
    `make_checkpoint(checkpoint_path)`; return the History."""
    # YOUR CODE HERE
    raise NotImplementedError()

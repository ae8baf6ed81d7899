import keras


def make_checkpoint(checkpoint_path):
    """A ModelCheckpoint that saves the model to `checkpoint_path` (a .keras file) whenever val_accuracy
    reaches a new best."""
    ### BEGIN SOLUTION
    return keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy", mode="max",
                                           save_best_only=True)
    ### END SOLUTION


def train_with_checkpoint(model, x_train, y_train, x_val, y_val, checkpoint_path, epochs):
    """Fit the compiled `model` for `epochs` epochs (batch 32) with validation data and
    `make_checkpoint(checkpoint_path)`; return the History."""
    ### BEGIN SOLUTION
    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_checkpoint(checkpoint_path)], verbose=0)
    ### END SOLUTION

import keras


def train_with_checkpoint(model, x_train, y_train, x_val, y_val, checkpoint_path, epochs):
    """Fit the compiled `model` for `epochs` epochs (batch 32) with validation data, saving it to
    `checkpoint_path` (a .keras file) whenever val_accuracy reaches a new best; return the History."""
    ### BEGIN SOLUTION
    checkpoint = keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy", mode="max",
                                                 save_best_only=True)
    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[checkpoint], verbose=0)
    ### END SOLUTION

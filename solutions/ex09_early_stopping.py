import keras


def make_early_stopping(patience):
    """An EarlyStopping callback on val_loss with `patience` that restores the best epoch's weights."""
    ### BEGIN SOLUTION
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    ### END SOLUTION


def train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience, epochs):
    """Fit `model` for at most `epochs` epochs (batch 32) with `make_early_stopping(patience)`;
    return the History."""
    ### BEGIN SOLUTION
    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_early_stopping(patience)], verbose=0)
    ### END SOLUTION

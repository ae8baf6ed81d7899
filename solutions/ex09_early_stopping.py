import keras


def train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience):
    """Fit `model` for up to 100 epochs with early stopping on val_loss; return the History."""
    ### BEGIN SOLUTION
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=100, batch_size=32,
                     callbacks=[stop], verbose=0)
    ### END SOLUTION

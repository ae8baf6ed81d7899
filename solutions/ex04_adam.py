import math

import keras


def compile_with_adam(model, learning_rate):
    """Compile `model` with Adam at `learning_rate`, sparse categorical cross-entropy and accuracy;
    return the same model."""
    ### BEGIN SOLUTION
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
    ### END SOLUTION


def best_learning_rate(model, x_train, y_train, learning_rates, epochs):
    """Train a fresh copy of `model` with Adam at each of `learning_rates` for `epochs` epochs
    (batch_size=32) and return the rate whose copy ends with the lowest training loss."""
    ### BEGIN SOLUTION
    final_losses = []
    for rate in learning_rates:
        candidate = compile_with_adam(keras.models.clone_model(model), rate)
        history = candidate.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
        loss = history.history["loss"][-1]
        final_losses.append(loss if math.isfinite(loss) else math.inf)  # a diverged run may end in NaN
    return learning_rates[final_losses.index(min(final_losses))]
    ### END SOLUTION

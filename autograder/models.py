"""Models the grader gives to a student's function (``GivenModel``), so that an exercise about
training varies only in the student's training code."""

from __future__ import annotations

from typing import Any


def overfitting_mlp(input_dim: int, hidden: int = 128) -> Any:
    """A wide two-layer network, compiled for binary classification: it overfits small data quickly."""
    import keras

    model = keras.Sequential([
        keras.Input(shape=(input_dim,)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


# --------------------------------------------------------------- exercise 04 (Adam)


def small_mlp(input_dim: int, num_classes: int, hidden: int = 32) -> Any:
    """A small uncompiled classifier: the student chooses how it is compiled."""
    import keras

    return keras.Sequential([
        keras.Input(shape=(input_dim,)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])

"""Models the grader gives to a student's function (``GivenModel``), so that an exercise about
training varies only in the student's training code."""

from __future__ import annotations

from typing import Any


def ready_to_fit(model: Any, x: Any, y: Any) -> Any:
    """Create a compiled model's optimizer and metric variables now, from the first sample of ``x``, ``y``.

    Keras on TensorFlow otherwise creates them while tracing the first training step, which makes
    ``tf.function`` trace that step a second time: about 1.5 s of every first ``fit`` of this course's
    models, measured. The trained weights are the same bits either way. Keras has no public call for
    this; ``fit`` makes the same one when it runs under a distribution strategy.
    """
    model._symbolic_build(data_batch=(x[:1], y[:1], None))
    return model


def overfitting_mlp(input_dim: int, hidden: int = 128) -> Any:
    """A wide two-layer network, compiled for binary classification: it overfits small data quickly."""
    import keras
    import numpy as np

    model = keras.Sequential([
        keras.Input(shape=(input_dim,)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return ready_to_fit(model, np.zeros((1, input_dim), "float32"), np.zeros((1,), "int32"))


# ------------------------------------------------------------ optimizers


def small_mlp(input_dim: int, num_classes: int, hidden: int = 32) -> Any:
    """A small uncompiled classifier: the student chooses how it is compiled."""
    import keras

    return keras.Sequential([
        keras.Input(shape=(input_dim,)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])

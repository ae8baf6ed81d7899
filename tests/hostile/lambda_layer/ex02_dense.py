"""A Lambda layer whose code, if it ever ran while loading, would create a marker file."""
import os

import keras
from keras import layers

MARKER = os.path.join(os.environ.get("TFGRADE_HOSTILE_MARKERS", "/nonexistent"), "lambda_layer")
payload = eval(f"lambda x: (__import__('os').system('touch {MARKER}'), x)[1]")


def build_classifier(num_features, num_classes, units):
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        layers.Lambda(payload),
        layers.Dense(units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])


def dense_param_count(inputs, units):
    return inputs * units + units

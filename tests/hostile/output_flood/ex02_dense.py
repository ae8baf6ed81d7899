"""Floods stdout and stderr with 8 MB each on import; the functions themselves are right."""
import sys

import keras
from keras import layers

for _ in range(8 * 1024):
    print("Total 26 / 26 points " + "x" * 1000)
    print("Traceback: nothing " + "y" * 1000, file=sys.stderr)


def build_classifier(num_features, num_classes, units):
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        layers.Dense(units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])


def dense_param_count(inputs, units):
    return inputs * units + units

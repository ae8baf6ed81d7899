"""An import of a package that is not installed."""
import keras
import tensorflow_addons  # noqa: F401
from keras import layers


def build_classifier(num_features, num_classes, units):
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        layers.Dense(units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])


def dense_param_count(inputs, units):
    return inputs * units + units

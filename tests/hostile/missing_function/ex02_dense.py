"""dense_param_count() is missing."""
import keras
from keras import layers


def build_classifier(num_features, num_classes, units):
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        layers.Dense(units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])

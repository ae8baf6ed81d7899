"""An architecture whose training diverges: weights of 1e38 overflow to inf, the loss to NaN."""
import keras
from keras import layers


def build_classifier(num_features, num_classes, units):
    huge = keras.initializers.Constant(1e38)
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        layers.Dense(units, activation="relu", kernel_initializer=huge),
        layers.Dense(num_classes, activation="softmax", kernel_initializer=huge),
    ])


def dense_param_count(inputs, units):
    return inputs * units + units

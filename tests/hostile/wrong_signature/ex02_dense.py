"""build_classifier() takes other arguments than the exercise passes."""
import keras
from keras import layers


def build_classifier(n_features, classes):
    return keras.Sequential([keras.Input(shape=(n_features,)), layers.Dense(classes, activation="softmax")])


def dense_param_count(inputs, units):
    return inputs * units + units

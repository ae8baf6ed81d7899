"""A custom layer class: the grader cannot load a class it does not know without running student code."""
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="student")
class MyDense(layers.Dense):
    pass


def build_classifier(num_features, num_classes, units):
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        MyDense(units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])


def dense_param_count(inputs, units):
    return inputs * units + units

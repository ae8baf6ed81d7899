"""A syntax error: a missing colon."""
import keras
from keras import layers


def build_classifier(num_features, num_classes, units)
    return None

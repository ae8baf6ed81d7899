"""Both functions return a layer instead of a model or a number."""
from keras import layers


def build_classifier(num_features, num_classes, units):
    return layers.Dense(units)


def dense_param_count(inputs, units):
    return layers.Dense(units)

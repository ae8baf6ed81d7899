"""Both functions return None."""


def build_classifier(num_features, num_classes, units):
    return None


def dense_param_count(inputs, units):
    return None

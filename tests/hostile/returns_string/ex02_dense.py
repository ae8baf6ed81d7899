"""Both functions return a string."""


def build_classifier(num_features, num_classes, units):
    return "a model with " + str(units) + " units"


def dense_param_count(inputs, units):
    return "a model with " + str(units) + " units"

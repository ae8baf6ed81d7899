"""An endless busy loop."""


def build_classifier(num_features, num_classes, units):
    while True:
        pass


def dense_param_count(inputs, units):
    while True:
        pass

"""An endless sleep."""
import time


def build_classifier(num_features, num_classes, units):
    time.sleep(10**9)


def dense_param_count(inputs, units):
    time.sleep(10**9)

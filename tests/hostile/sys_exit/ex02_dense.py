"""Both functions call sys.exit(0)."""
import sys


def build_classifier(num_features, num_classes, units):
    sys.exit(0)


def dense_param_count(inputs, units):
    sys.exit(0)

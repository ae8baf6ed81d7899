"""Reserves memory in 1 GB blocks until none is left (RLIMIT_DATA counts what is reserved)."""
import numpy as np


def build_classifier(num_features, num_classes, units):
    blocks = []
    while True:
        blocks.append(np.empty(2**27))


def dense_param_count(inputs, units):
    blocks = []
    while True:
        blocks.append(np.empty(2**27))

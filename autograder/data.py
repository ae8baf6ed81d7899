"""Datasets the exercises train on: scikit-learn's bundled sets and seeded generators, never a download.

Every dataset is split three ways by a seed. Students' code may receive ``train`` and ``val``; only the
grader's measuring process ever touches ``test``, so metrics are measured on data the submission
did not train on (models that the grader trains itself start from fresh weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

DATASETS: dict[str, Callable[[int], "Splits"]] = {}


@dataclass(frozen=True)
class Splits:
    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    num_classes: int

    def array(self, split: str, part: str) -> np.ndarray:
        return getattr(self, f"{part}_{split}")

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])


def dataset(name: str):
    """Register a ``seed -> Splits`` function under ``name``."""

    def register(make: Callable[[int], Splits]) -> Callable[[int], Splits]:
        DATASETS[name] = make
        return make

    return register


@lru_cache(maxsize=None)
def load(name: str, seed: int = 0) -> Splits:
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {sorted(DATASETS)}")
    return DATASETS[name](seed)


def _split(name: str, x: np.ndarray, y: np.ndarray, seed: int, *, standardize: bool,
           val: float = 0.2, test: float = 0.2) -> Splits:
    """Stratified train/val/test split; standardization statistics come from the training part only."""
    from sklearn.model_selection import train_test_split

    x_rest, x_test, y_rest, y_test = train_test_split(x, y, test_size=test, stratify=y, random_state=seed)
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=val / (1 - test), stratify=y_rest, random_state=seed)
    if standardize:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 1e-8
        x_train, x_val, x_test = ((part - mean) / std for part in (x_train, x_val, x_test))
    cast = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
    labels = lambda a: np.ascontiguousarray(a, dtype=np.int32)  # noqa: E731
    return Splits(name, cast(x_train), labels(y_train), cast(x_val), labels(y_val), cast(x_test),
                  labels(y_test), int(len(np.unique(y))))


@dataset("breast_cancer")
def breast_cancer(seed: int) -> Splits:
    """569 tumours, 30 standardized features, binary label (scikit-learn's bundled copy)."""
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer()
    return _split("breast_cancer", bunch.data, bunch.target, seed, standardize=True)


@dataset("digits_flat")
def digits_flat(seed: int) -> Splits:
    """1,797 handwritten digits as 64 pixel intensities scaled to [0, 1]; 10 classes."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return _split("digits_flat", bunch.data / 16.0, bunch.target, seed, standardize=False)


@dataset("digits_images")
def digits_images(seed: int) -> Splits:
    """The same digits as 8x8x1 images, channels last, for convolutional models."""
    flat = digits_flat(seed)
    image = lambda a: a.reshape(-1, 8, 8, 1)  # noqa: E731
    return Splits("digits_images", image(flat.x_train), flat.y_train, image(flat.x_val), flat.y_val,
                  image(flat.x_test), flat.y_test, flat.num_classes)


@dataset("noisy_blobs")
def noisy_blobs(seed: int) -> Splits:
    """A small, noisy two-class problem that a wide network overfits within a few epochs.

    Few training samples and 15% flipped labels make the validation loss turn upward early, which is
    what early stopping is for. Generated, so there is nothing to download and no fixed copy to learn.
    """
    from sklearn.datasets import make_classification

    x, y = make_classification(n_samples=1000, n_features=20, n_informative=5, n_redundant=5,
                               flip_y=0.15, class_sep=1.0, random_state=seed)
    return _split("noisy_blobs", x, y, seed, standardize=True, val=0.2, test=0.5)

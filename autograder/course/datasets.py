"""Datasets the exercises train on: scikit-learn's bundled sets and seeded generators, never a download.

Every dataset is split three ways by a seed. Students' code may receive ``train`` and ``val``, which the
grading process builds and hands to the child; only the grader's measuring process ever touches
``test``, so metrics are measured on data the submission did not train on (models that the grader
trains itself start from fresh weights).

A split, once built, is kept as a ``.npz`` file under the course's ``.tfgrade/data``: importing
scikit-learn costs seconds, reading the file milliseconds, so the processes that grade (and the
forkserver they start from) never import scikit-learn after the first time.

The seeds are public (each case names its own) and so is this code, so anyone can rebuild a split.
The instructor's grading commands therefore load under the course's data key (``keyed``, the key from
``autograder.course.secret``): each split is then built from a seed derived from the key, the dataset's
name and the public seed, which nobody without the key can rebuild. Without a key every split is the
public one, bit for bit, as students' checks and the shipped public reference need.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

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


_key: str | None = None  # the data key in force (``keyed``): one per process, as a grading command has one


def current_key() -> str | None:
    """The data key ``load`` splits by now; None for the public splits."""
    return _key


@contextmanager
def keyed(key: str | None) -> Iterator[None]:
    """Load every split under ``key`` (None: the public splits) until the block ends, then the key before.

    One key for the whole process, not per thread: the worker threads of a grading load under the key
    of the command that started them."""
    global _key
    if key is not None and (not isinstance(key, str) or not key):
        raise ValueError("a data key is a non-empty string (or None for the public splits)")
    previous, _key = _key, key
    try:
        yield
    finally:
        _key = previous


def split_seed(key: str, name: str, seed: int) -> int:
    """The seed that builds ``name``'s splits for the public ``seed`` under ``key``."""
    digest = hmac.new(key.encode(), f"{name}/{seed}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % 2**31


def load(name: str, seed: int = 0) -> Splits:
    """The splits of ``name`` for the public ``seed``, under the data key in force (see ``keyed``)."""
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {sorted(DATASETS)}")
    return _load(name, seed, _key, _cache_file(name, seed, _key))


@lru_cache(maxsize=None)
def _load(name: str, seed: int, key: str | None, path: Path) -> Splits:
    """Kept per file: a course of its own (``TFGRADE_COURSE``) keeps its own files."""
    try:
        return _read(path, name)
    except Exception:  # noqa: BLE001 - missing, unreadable or torn: build it again
        splits = DATASETS[name](seed if key is None else split_seed(key, name, seed))
    _write(path, splits)
    return splits


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]
load.cache_info = _load.cache_info  # type: ignore[attr-defined]


def cache_file(name: str, seed: int) -> Path:
    """Where the splits ``load`` returns now are kept: a keyed split's file names a hash of the key."""
    return _cache_file(name, seed, _key)


def key_tag(key: str) -> str:
    """A short, one-way name for a data key, for file names: never the key itself."""
    return hashlib.sha256(b"tfgrade data key tag|" + key.encode()).hexdigest()[:12]


def _cache_file(name: str, seed: int, key: str | None) -> Path:
    from autograder.course import Course

    keyed_part = "" if key is None else f"-key{key_tag(key)}"
    return Course.locate().root / ".tfgrade" / "data" / f"{name}-seed{seed}{keyed_part}-{_version()}.npz"


@lru_cache(maxsize=None)
def _version() -> str:
    """Changes with this file and with the libraries that generate or split the data."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("numpy", "scikit-learn"):
        digest.update(f"|{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


_ARRAYS = tuple(f.name for f in fields(Splits) if f.name not in ("name", "num_classes"))


def _read(path: Path, name: str) -> Splits:
    with np.load(path, allow_pickle=False) as stored:
        return Splits(name, *(stored[array] for array in _ARRAYS), int(stored["num_classes"]))


def _write(path: Path, splits: Splits) -> None:
    """Atomically, so that a process reading at the same moment sees the whole file or none."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return  # a read-only course: every process builds the splits itself
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, num_classes=splits.num_classes, **{a: getattr(splits, a) for a in _ARRAYS})
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


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


# --------------------------------------------------------------- data augmentation


@dataset("digits_sample")
def digits_sample(seed: int) -> Splits:
    """150 of the 8x8x1 digit images (15 per class) chosen by the seed: augmented batches of a few
    dozen images stay small when they travel back as JSON."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    rng = np.random.default_rng(seed)
    chosen = np.concatenate([rng.choice(np.flatnonzero(bunch.target == label), 15, replace=False)
                             for label in range(10)])
    flat = _split("digits_sample", bunch.data[chosen] / 16.0, bunch.target[chosen], seed, standardize=False)
    image = lambda a: a.reshape(-1, 8, 8, 1)  # noqa: E731
    return Splits("digits_sample", image(flat.x_train), flat.y_train, image(flat.x_val), flat.y_val,
                  image(flat.x_test), flat.y_test, flat.num_classes)


# --- a generated time-series classification task (Conv1D) ------------------------------------------


@dataset("waveforms")
def waveforms(seed: int) -> Splits:
    """600 noisy windows of 64 steps, one channel: sine (0), square (1) or sawtooth (2) waves.

    Frequency (2-5 cycles per window), phase and amplitude are random, so a model must recognise the
    local shape of the wave (smooth, step or ramp) wherever it occurs: what a Conv1D kernel is for.
    """
    rng = np.random.default_rng(seed)
    per_class, length = 200, 64
    y = np.repeat(np.arange(3), per_class)
    cycles = rng.uniform(2.0, 5.0, size=(len(y), 1))
    phase = rng.uniform(0.0, 1.0, size=(len(y), 1))
    amplitude = rng.uniform(0.5, 1.5, size=(len(y), 1))
    position = (cycles * np.arange(length) / length + phase) % 1.0  # place within each cycle, 0..1
    shapes = np.stack([np.sin(2 * np.pi * position), np.where(position < 0.5, 1.0, -1.0), 2 * position - 1])
    x = amplitude * shapes[y, np.arange(len(y))] + rng.normal(0.0, 0.3, size=(len(y), length))
    return _split("waveforms", x[..., None], y, seed, standardize=False)


# --------------------------------------------------------------- activations


@dataset("circles")
def circles(seed: int) -> Splits:
    """600 noisy 2-D points on two concentric rings, labelled by ring: no straight line separates them,
    so a network without a non-linear activation stays near chance."""
    from sklearn.datasets import make_circles

    x, y = make_circles(n_samples=600, noise=0.1, factor=0.5, random_state=seed)
    return _split("circles", x, y, seed, standardize=True)


# ------------------------------------------------ sequences (Embedding, LSTM, GRU, SimpleRNN)
# Generated token sequences: each word is an integer id, as a tokenizer would produce, and id 0 is
# reserved for padding. No text corpus ships offline, so the sentences are drawn from small vocabularies
# with a rule that decides the label.

TOPIC_VOCAB, TOPIC_LENGTH, TOPICS, TOPIC_WORDS = 40, 12, 4, 6
ORDER_VOCAB, ORDER_LENGTH = 20, 10


def _token_ids(splits: Splits) -> Splits:
    """``_split`` returns float32 features; an Embedding layer looks up integer ids."""
    from dataclasses import replace

    ids = lambda a: np.ascontiguousarray(a, dtype=np.int32)  # noqa: E731
    return replace(splits, x_train=ids(splits.x_train), x_val=ids(splits.x_val), x_test=ids(splits.x_test))


@dataset("topic_tokens")
def topic_tokens(seed: int) -> Splits:
    """800 sentences of 12 word ids (vocabulary 40), each about one of 4 topics.

    Ids 1-15 are filler words that every topic uses; ids 16-39 are four blocks of 6 topic words. A
    sentence holds 3 words of its own topic, 2 of another topic and 7 fillers, shuffled: which topic's
    words dominate decides the label, and word order carries nothing (a bag of words is enough).
    """
    rng = np.random.default_rng(seed)
    first_topic_word = TOPIC_VOCAB - TOPICS * TOPIC_WORDS
    y = np.repeat(np.arange(TOPICS), 200)
    rows = []
    for topic in y:
        other = (topic + rng.integers(1, TOPICS)) % TOPICS
        words = np.concatenate([first_topic_word + topic * TOPIC_WORDS + rng.integers(0, TOPIC_WORDS, 3),
                                first_topic_word + other * TOPIC_WORDS + rng.integers(0, TOPIC_WORDS, 2),
                                rng.integers(1, first_topic_word, TOPIC_LENGTH - 5)])
        rows.append(rng.permutation(words))
    return _token_ids(_split("topic_tokens", np.array(rows), y, seed, standardize=False))


def _token_order(name: str, seed: int, length: int, count: int = 1000) -> Splits:
    """``count`` sequences of filler ids 3..ORDER_VOCAB-1 holding one A (id 1) and one B (id 2) at random
    places; the label is 1 when A comes first. Both always occur, so only their order tells."""
    rng = np.random.default_rng(seed)
    x = rng.integers(3, ORDER_VOCAB, size=(count, length))
    y = rng.integers(0, 2, size=count)
    for row, a_first in zip(x, y):
        first, second = np.sort(rng.choice(length, size=2, replace=False))
        row[first], row[second] = (1, 2) if a_first else (2, 1)
    return _token_ids(_split(name, x, y, seed, standardize=False))


@dataset("token_order")
def token_order(seed: int) -> Splits:
    """1,000 sequences of 10 word ids (vocabulary 20): does A come before B? A bag of words stays at
    chance; a recurrent layer that remembers having seen A solves it."""
    return _token_order("token_order", seed, ORDER_LENGTH)


@dataset("token_order_long")
def token_order_long(seed: int) -> Splits:
    """The same question over 20 word ids, so A and B are often far apart and a layer must keep what it
    saw many steps back (still short enough for a SimpleRNN to learn within a few epochs)."""
    return _token_order("token_order_long", seed, 2 * ORDER_LENGTH)

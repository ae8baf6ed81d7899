"""What the measuring child observes about one run: a summary, a metric after the grader's own
training, an evaluation on held-out data, a returned value or a training history.

Each observation has a ``key`` (so several checks can share one measurement) and a ``measure``
method that runs in the trusted measuring child, where Keras is loaded. Results are plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from autograder import artifacts

MAX_TRAINED_PARAMS = 5_000_000  # the grader does not train models far larger than any exercise needs


@dataclass(frozen=True)
class Recipe:
    """How the grader trains a model itself: the same for the reference and every submission."""

    dataset: str
    epochs: int = 20
    batch_size: int = 32
    learning_rate: float = 1e-3
    loss: str = "sparse_categorical_crossentropy"
    metric: str = "accuracy"
    seed: int = 0
    compile: str = "grader"  # "grader": the loss/optimizer above; "student": as the student compiled

    @property
    def key(self) -> str:
        return (f"{self.dataset}/seed{self.seed}/e{self.epochs}/b{self.batch_size}/lr{self.learning_rate:g}/"
                f"{self.loss}/{self.compile}")

    def describe(self) -> str:
        optimizer = "your optimizer and loss" if self.compile == "student" else (
            f"Adam({self.learning_rate:g}) on {self.loss}")
        return f"{self.epochs} epochs of {optimizer}, batch {self.batch_size}, on {self.dataset}"


@dataclass(frozen=True)
class Context:
    """What the measuring child knows about the run it measures."""

    run_dir: Path
    input_shape: tuple[int, ...] | None
    seed: int = 0  # the case's seed, which also split the case's data


class Observation:
    kind: ClassVar[str]

    @property
    def key(self) -> str:
        return self.kind

    def measure(self, context: Context) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def reseeded(self, seed: int) -> "Observation":
        """The same observation under another seed (for calibration); most have no seed of their own."""
        return self


@dataclass(frozen=True)
class Summary(Observation):
    """Layer classes, output shapes, parameter counts and key config (see ``autograder.summary``)."""

    kind: ClassVar[str] = "summary"

    def measure(self, context: Context) -> Any:
        from autograder.summary import ModelSummary

        model = artifacts.load_model(context.run_dir)
        return ModelSummary.from_model(model, context.input_shape).to_dict()


@dataclass(frozen=True)
class Trained(Observation):
    """The grader trains a fresh copy of the returned architecture and measures it on the test split.

    Fresh weights (``clone_model``) mean nothing learned in the student's process counts, and the test
    split never leaves this process.
    """

    recipe: Recipe
    kind: ClassVar[str] = "trained"

    @property
    def key(self) -> str:
        return f"trained:{self.recipe.key}"

    def reseeded(self, seed: int) -> "Trained":
        return Trained(replace(self.recipe, seed=seed))

    def measure(self, context: Context) -> Any:
        import keras

        from autograder import data, determinism
        from autograder.summary import ensure_built

        recipe = self.recipe
        splits = data.load(recipe.dataset, seed=recipe.seed)
        model = artifacts.load_model(context.run_dir)
        determinism.seed_everything(recipe.seed)
        fresh = keras.models.clone_model(model)
        ensure_built(fresh, context.input_shape or splits.input_shape)
        if fresh.count_params() > MAX_TRAINED_PARAMS:
            raise ValueError(f"the model has {fresh.count_params():,} parameters, more than the grader "
                             f"trains ({MAX_TRAINED_PARAMS:,})")
        fresh.compile(**_compile_args(recipe, context.run_dir))
        history = fresh.fit(_batches(splits.x_train, splits.y_train, recipe, shuffle=True),
                            validation_data=_batches(splits.x_val, splits.y_val, recipe), epochs=recipe.epochs,
                            verbose=0)
        return {"metric": accuracy(fresh, splits.x_test, splits.y_test),
                "history": {k: [float(v) for v in values] for k, values in history.history.items()}}


@dataclass(frozen=True)
class Evaluated(Observation):
    """Accuracy and loss of the returned model, as it is, on a split of the case's data (by default
    ``test``, which the student's process never received)."""

    dataset: str
    split: str = "test"
    kind: ClassVar[str] = "evaluated"

    @property
    def key(self) -> str:
        return f"evaluated:{self.dataset}/{self.split}"

    def measure(self, context: Context) -> Any:
        import keras
        import numpy as np

        from autograder import data

        splits = data.load(self.dataset, seed=context.seed)
        x, y = splits.array(self.split, "x"), splits.array(self.split, "y")
        model = artifacts.load_model(context.run_dir)
        probabilities = np.asarray(model.predict(x, batch_size=256, verbose=0))
        loss_fn = (keras.losses.BinaryCrossentropy() if probabilities.shape[-1] == 1
                   else keras.losses.SparseCategoricalCrossentropy())
        return {"metric": accuracy(model, x, y, probabilities), "loss": float(loss_fn(y, probabilities))}


@dataclass(frozen=True)
class ReturnedValue(Observation):
    kind: ClassVar[str] = "value"

    def measure(self, context: Context) -> Any:
        return artifacts.load_value(context.run_dir)


@dataclass(frozen=True)
class History(Observation):
    """The per-epoch history the student's own training produced."""

    kind: ClassVar[str] = "history"

    def measure(self, context: Context) -> Any:
        return artifacts.load_history(context.run_dir)


@dataclass(frozen=True)
class BestWeights(Observation):
    """The returned model's validation loss, re-measured, beside the best and last epochs' values."""

    dataset: str
    monitor: str = "val_loss"
    kind: ClassVar[str] = "best_weights"

    @property
    def key(self) -> str:
        return f"best_weights:{self.dataset}/{self.monitor}"

    def measure(self, context: Context) -> Any:
        history = artifacts.load_history(context.run_dir).get(self.monitor)
        if not history:
            raise ValueError(f"the history has no {self.monitor!r}")
        now = Evaluated(self.dataset, "val").measure(context)["loss"]
        return {"now": now, "best": min(history), "last": history[-1]}


def accuracy(model: Any, x: Any, y: Any, probabilities: Any = None) -> float:
    """Accuracy from predictions: one sigmoid unit is thresholded at 0.5, wider outputs use argmax."""
    import numpy as np

    p = np.asarray(model.predict(x, batch_size=256, verbose=0) if probabilities is None else probabilities)
    if p.ndim != 2:
        raise ValueError(f"the model outputs shape {p.shape[1:]}, not one score per class")
    predicted = (p[:, 0] > 0.5).astype(int) if p.shape[1] == 1 else p.argmax(axis=1)
    return float((predicted == np.asarray(y).reshape(-1)).mean())


def _batches(x: Any, y: Any, recipe: Recipe, shuffle: bool = False) -> Any:
    import tensorflow as tf

    labels = y.astype("float32") if recipe.loss == "binary_crossentropy" else y
    dataset = tf.data.Dataset.from_tensor_slices((x, labels))
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=recipe.seed, reshuffle_each_iteration=True)
    return dataset.batch(recipe.batch_size).prefetch(2)


def _compile_args(recipe: Recipe, run_dir: Path) -> dict[str, Any]:
    import keras

    if recipe.compile == "student":
        config = artifacts.load_compile_config(run_dir) or {}
        return {"optimizer": _builtin(keras.optimizers, config.get("optimizer"), "optimizer"),
                "loss": _builtin(keras.losses, config.get("loss"), "loss"), "metrics": ["accuracy"]}
    return {"optimizer": keras.optimizers.Adam(learning_rate=recipe.learning_rate), "loss": recipe.loss,
            "metrics": ["accuracy"]}


def _builtin(namespace: Any, config: Any, what: str) -> Any:
    """Rebuild a student's optimizer or loss from data, accepting only Keras' own classes and names:
    a config is never allowed to name a module or function to import."""
    if isinstance(config, str) and hasattr(namespace, "get"):
        return namespace.get(config)
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"the model was not compiled with a built-in {what}")
    cls = getattr(namespace, config["class_name"], None)
    if not isinstance(cls, type) or cls.__module__.split(".")[0] != "keras":
        raise ValueError(f"{config['class_name']!r} is not a built-in Keras {what}")
    options = {k: v for k, v in (config.get("config") or {}).items() if isinstance(v, (int, float, str, bool))}
    return cls.from_config(options)

"""What the measuring child observes about one run: a summary, a metric after the grader's own
training, an evaluation on held-out data, a returned value or a training history.

Each observation has a ``key`` (so several checks can share one measurement) and a ``measure``
method that runs in the trusted measuring child, where Keras is loaded. Results are plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from autograder.measure import loading

MAX_TRAINED_PARAMS = 5_000_000  # the grader does not train models far larger than any exercise needs
# Batches per call into TensorFlow when the grader trains or evaluates: a whole epoch of any of this
# course's datasets runs in one call, instead of one call per batch whose Python overhead outweighed
# the small models' arithmetic (a 15-epoch fit of a small MLP: 7.4-9.1 s -> 4.0 s, the same bits).
STEPS_PER_CALL = 1000


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
    labels: str = "integer"  # how labels are fed: "integer" class ids, or "one_hot" rows

    @property
    def key(self) -> str:
        return (f"{self.dataset}/seed{self.seed}/e{self.epochs}/b{self.batch_size}/lr{self.learning_rate:g}/"
                f"{self.loss}/{self.compile}" + ("" if self.labels == "integer" else f"/{self.labels}"))

    def describe(self) -> str:
        optimizer = "your optimizer and loss" if self.compile == "student" else (
            f"Adam({self.learning_rate:g}) on {self.loss}")
        labels = "" if self.labels == "integer" else f" with {self.labels.replace('_', '-')} labels"
        return f"{self.epochs} epochs of {optimizer}, batch {self.batch_size}, on {self.dataset}{labels}"


@dataclass(frozen=True)
class Context:
    """What the measuring child knows about the run it measures."""

    run_dir: Path
    input_shape: tuple[int, ...] | None
    seed: int = 0  # the case's seed, which also split the case's data
    reference: dict[str, Any] = field(default_factory=dict)  # the reference's values, by observation key
    _loaded: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def model(self) -> Any:
        """The returned model, loaded once per run: loading costs 0.1-0.2 s and most cases observe it
        several times. Observations only read it (or clone it); none trains or recompiles it."""
        if "model" not in self._loaded:
            self._loaded["model"] = loading.load_model(self.run_dir)
        return self._loaded["model"]


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
    """Layer classes, output shapes, parameter counts and key config (see ``autograder.measure.summary``)."""

    kind: ClassVar[str] = "summary"

    def measure(self, context: Context) -> Any:
        from autograder.measure.summary import ModelSummary

        model = context.model()
        return ModelSummary.from_model(model, context.input_shape).to_dict()


@dataclass(frozen=True)
class Trained(Observation):
    """The grader trains a fresh copy of the returned architecture and measures it on the test split.

    Fresh weights (``clone_model``) mean nothing learned in the student's process counts, and the test
    split never leaves this process. ``clone_model`` rebuilds each layer from its config, initializers
    included, so an initializer that could carry weights is refused first (``_require_fresh_initializers``).
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

        from autograder.course import datasets
        from autograder.course.givens import ready_to_fit
        from autograder.measure.summary import ensure_built
        from autograder.sandbox import determinism

        recipe = self.recipe
        splits = datasets.load(recipe.dataset, seed=recipe.seed)
        model = context.model()
        _require_fresh_initializers(model)
        ensure_built(model, context.input_shape or splits.input_shape)
        architecture = _architecture(model, recipe, context.run_dir)
        known = context.reference.get(self.key) or {}
        if known.get("architecture") == architecture:
            # The same architecture under the same recipe and seed trains to the same bits (op
            # determinism), so the reference's measurement is this model's measurement.
            return known
        determinism.seed_everything(recipe.seed)
        fresh = keras.models.clone_model(model)
        ensure_built(fresh, context.input_shape or splits.input_shape)
        if fresh.count_params() > MAX_TRAINED_PARAMS:
            raise ValueError(f"the model has {fresh.count_params():,} parameters, more than the grader "
                             f"trains ({MAX_TRAINED_PARAMS:,})")
        fresh.compile(**_compile_args(recipe, context.run_dir))
        ready_to_fit(fresh, splits.x_train, _labels(splits.y_train[:1], recipe))  # one sample's shapes suffice
        history = fresh.fit(_batches(splits.x_train, splits.y_train, recipe, shuffle=True),
                            validation_data=_batches(splits.x_val, splits.y_val, recipe), epochs=recipe.epochs,
                            verbose=0)
        _require_finite_loss(history.history.get("loss", []), recipe)
        return {"metric": accuracy(fresh, splits.x_test, splits.y_test), "architecture": architecture,
                "history": {k: [float(v) for v in values] for k, values in history.history.items()}}


def _require_fresh_initializers(model: Any) -> None:
    """Refuse a model whose initializers could hand in weights trained elsewhere: a ``Constant`` holding an
    array (any initializer whose config holds more than scalar settings) or an initializer that is not one
    of Keras' own. Every layer's whole config is walked, so layers inside wrappers (``Bidirectional``,
    ``TimeDistributed``) and nested models are read too; identifiers such as ``"glorot_uniform"`` are fine."""
    import keras

    from autograder.measure.summary import _leaf_layers  # numbered as the summary numbers layers

    def plain(value: Any) -> bool:  # a scalar setting, or a seed given as a SeedGenerator
        if isinstance(value, dict) and value.get("class_name") == "SeedGenerator":
            return all(plain(v) for v in (value.get("config") or {}).values())
        return value is None or isinstance(value, (bool, int, float, str))

    def problem(value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return None
        name = str(value.get("class_name")) if isinstance(value, dict) else type(value).__name__
        cls = getattr(keras.initializers, name, None)
        if not (isinstance(value, dict) and isinstance(cls, type) and issubclass(cls, keras.initializers.Initializer)
                and cls.__module__.startswith("keras.") and str(value.get("module") or "keras.").startswith("keras.")
                and value.get("registered_name") in (None, name)):
            return f"{name} is not one of Keras' built-in initializers, the only ones the grader accepts"
        config = value.get("config")
        if config is None or isinstance(config, dict) and all(plain(v) for v in config.values()):
            return None
        return f"{name} holds fixed values"

    def walk(config: Any, path: str) -> tuple[str, str] | None:
        """The first (path, complaint) in a layer's config: nested layers add their names to the path."""
        if isinstance(config, list):
            return next((found for item in config if (found := walk(item, path))), None)
        if not isinstance(config, dict):
            return None
        inner = config.get("config")
        if config.get("module") == "keras.layers" and isinstance(inner, dict) and isinstance(inner.get("name"), str):
            path = f"{path}/{inner['name']}"  # a layer inside a wrapper or a nested model's config
        for key, value in config.items():
            if key.endswith("initializer") and (complaint := problem(value)):
                return path, f"{key} {complaint}"
            if found := walk(value, path):
                return found
        return None

    for index, (path, layer) in enumerate(_leaf_layers(model), start=1):
        if found := walk(layer.get_config(), path):
            raise ValueError(f"layer {index} ({found[0]}): {found[1]}; the grader trains from fresh initial "
                             "weights, so initial values cannot be handed in")


@dataclass(frozen=True)
class ReturnedValue(Observation):
    kind: ClassVar[str] = "value"

    def measure(self, context: Context) -> Any:
        return loading.load_value(context.run_dir)


def _architecture(model: Any, recipe: Recipe, run_dir: Path) -> str:
    """A hash of everything that decides how a fresh copy trains: the model's config without layer
    names, and the student's compile config when the recipe uses it."""
    import hashlib
    import json

    def unnamed(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: unnamed(v) for k, v in value.items() if k != "name"}
        if isinstance(value, list):
            return [unnamed(v) for v in value]
        return value

    described = {"model": unnamed(model.get_config()), "class": type(model).__name__}
    if recipe.compile == "student":
        described["compile"] = loading.load_compile_config(run_dir)
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode()).hexdigest()


def _require_finite_loss(losses: list[float], recipe: Recipe) -> None:
    """A loss that became NaN or infinite means the architecture cannot be trained: say so, rather
    than report the accuracy of a model that predicts nothing."""
    import math

    for epoch, loss in enumerate(losses, start=1):
        if not math.isfinite(loss):
            raise ValueError(f"training diverged: the loss became {loss} in epoch {epoch} of {recipe.describe()}")


def accuracy(model: Any, x: Any, y: Any, probabilities: Any = None) -> float:
    """Accuracy from predictions: one sigmoid unit is thresholded at 0.5, wider outputs use argmax."""
    import numpy as np

    p = np.asarray(predictions(model, x) if probabilities is None else probabilities)
    if p.ndim != 2:
        raise ValueError(f"the model outputs shape {p.shape[1:]}, not one score per class")
    predicted = (p[:, 0] > 0.5).astype(int) if p.shape[1] == 1 else p.argmax(axis=1)
    return float((predicted == np.asarray(y).reshape(-1)).mean())


def predictions(model: Any, x: Any, batch_size: int = 256) -> Any:
    """What ``model.predict(x, batch_size=256)`` returns, computed by calling the model batch by batch.
    ``predict`` first traces a predict function and builds an input pipeline: 1.2-1.7 s of a measuring
    child here, for a few milliseconds of arithmetic on this course's small splits."""
    import keras
    import numpy as np

    x = np.asarray(x)
    if np.issubdtype(x.dtype, np.floating):  # as predict's input pipeline does
        x = x.astype(keras.backend.floatx())
    batches = []
    for start in range(0, len(x), batch_size):
        output = model(x[start:start + batch_size], training=False)
        if not keras.ops.is_tensor(output) and not isinstance(output, np.ndarray):
            raise ValueError("the model has several outputs, not one score per class")
        batches.append(keras.ops.convert_to_numpy(output))
    return np.concatenate(batches)


def _batches(x: Any, y: Any, recipe: Recipe, shuffle: bool = False) -> Any:
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, _labels(y, recipe)))
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=recipe.seed, reshuffle_each_iteration=True)
    return dataset.batch(recipe.batch_size).prefetch(2)


def _labels(y: Any, recipe: Recipe) -> Any:
    import numpy as np

    if recipe.labels == "one_hot":  # what categorical_crossentropy expects
        from autograder.course import datasets

        return np.eye(datasets.load(recipe.dataset, seed=recipe.seed).num_classes, dtype="float32")[y]
    return y.astype("float32") if recipe.loss == "binary_crossentropy" else y


def _compile_args(recipe: Recipe, run_dir: Path) -> dict[str, Any]:
    import keras

    if recipe.compile == "student":
        config = loading.load_compile_config(run_dir) or {}
        optimizer = _builtin(keras.optimizers, config.get("optimizer"), "optimizer")
        loss = _builtin(keras.losses, config.get("loss"), "loss")
    else:
        optimizer, loss = keras.optimizers.Adam(learning_rate=recipe.learning_rate), recipe.loss
    return {"optimizer": optimizer, "loss": loss, "metrics": ["accuracy"], "steps_per_execution": STEPS_PER_CALL}


def _builtin(namespace: Any, config: Any, what: str) -> Any:
    """Rebuild a student's optimizer or loss from data, accepting only Keras' own classes and names:
    a config is never allowed to name a module or function to import."""
    if isinstance(config, dict) and config.get("class_name") == "function" and isinstance(config.get("config"), str):
        config = config["config"]  # a function such as keras.losses.categorical_crossentropy, saved by name
    if isinstance(config, str) and hasattr(namespace, "get"):
        return namespace.get(config)
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"the model was not compiled with a built-in {what}")
    cls = getattr(namespace, config["class_name"], None)
    if not isinstance(cls, type) or cls.__module__.split(".")[0] != "keras":
        raise ValueError(f"{config['class_name']!r} is not a built-in Keras {what}")
    options = {k: v for k, v in (config.get("config") or {}).items() if isinstance(v, (int, float, str, bool))}
    return cls.from_config(options)


def measured_property(value: Any, note: str) -> dict[str, Any]:
    """A probed property as ``checks.PropertyMatches`` reads it: the value to compare and a note to quote."""
    return {"value": value, "note": note}


def not_assessed(prerequisite: str, why: str) -> dict[str, Any]:
    """A property that cannot be measured because ``prerequisite`` (another property, or a step such as
    matching rows to inputs) failed: ``checks.PropertyMatches`` fails it with this note alone, so that one
    root cause is reported once, not as several failures with hints that do not apply."""
    return {"value": None, "note": f"not assessed: {prerequisite} failed ({why})", "unassessed": prerequisite}

"""What the measuring child observes about one run: a summary, a metric after the grader's own
training, an evaluation on held-out data, a returned value or a training history.

Each observation has a ``key`` (so several checks can share one measurement) and a ``measure``
method that runs in the trusted measuring child, where Keras is loaded. Results are plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from autograder import artifacts

MAX_TRAINED_PARAMS = 5_000_000  # the grader does not train models far larger than any exercise needs
# Batches per call into TensorFlow when the grader trains or evaluates: a whole epoch of any of this
# course's datasets runs in one call, instead of one call per batch whose Python overhead outweighed
# the small models' arithmetic (a 15-epoch fit of ex02's network: 7.4-9.1 s -> 4.0 s, the same bits).
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
    labels: str = "integer"  # how labels are fed: "integer" class ids, or "one_hot" rows (exercise 05)

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
            self._loaded["model"] = artifacts.load_model(self.run_dir)
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
    """Layer classes, output shapes, parameter counts and key config (see ``autograder.summary``)."""

    kind: ClassVar[str] = "summary"

    def measure(self, context: Context) -> Any:
        from autograder.summary import ModelSummary

        model = context.model()
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
        from autograder.models import ready_to_fit
        from autograder.summary import ensure_built

        recipe = self.recipe
        splits = data.load(recipe.dataset, seed=recipe.seed)
        model = context.model()
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
        model = context.model()
        probabilities = predictions(model, x)
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
        described["compile"] = artifacts.load_compile_config(run_dir)
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

    if recipe.labels == "one_hot":  # what categorical_crossentropy expects (exercise 05)
        from autograder import data

        return np.eye(data.load(recipe.dataset, seed=recipe.seed).num_classes, dtype="float32")[y]
    return y.astype("float32") if recipe.loss == "binary_crossentropy" else y


def _compile_args(recipe: Recipe, run_dir: Path) -> dict[str, Any]:
    import keras

    if recipe.compile == "student":
        config = artifacts.load_compile_config(run_dir) or {}
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


# --------------------------------------------------------------- exercise 10 (data augmentation)
#
# What a student's code returns is never believed: this child rebuilds the inputs a case gave (from the
# case's seed) or applies a returned augmentation model itself. Each property is measured as
# {"value": ..., "note": "..."} so that ``checks.PropertyMatches`` compares the value with the reference's
# and quotes the note; "batch" holds the augmented images (rounded) for ``checks.BatchMatches``.

PIXEL_CHANGED = 1e-4  # an image whose pixels all moved less than this counts as unchanged


@dataclass(frozen=True)
class AugmentedBatch(Observation):
    """A batch returned as ``(x, y)`` by a function that was given ``images`` and ``labels`` (the same
    ``DataArray``s the case passes): its shape, whether the labels are the inputs' in order, how many
    images changed, and the images themselves."""

    images: Any
    labels: Any
    kind: ClassVar[str] = "augmented_batch"

    @property
    def key(self) -> str:
        return f"augmented_batch:{self.images}/{self.labels}"

    def measure(self, context: Context) -> Any:
        import numpy as np

        inputs = np.asarray(self.images.materialize(context.seed), dtype=np.float64)
        labels = np.asarray(self.labels.materialize(context.seed)).reshape(-1)
        x, y = _returned_pair(artifacts.load_value(context.run_dir))
        return {"shape": _property(list(x.shape), f"x has shape {_shape_text(x.shape)} for inputs of shape "
                                                  f"{_shape_text(inputs.shape)}"),
                "labels_kept": _labels_kept(y, labels),
                "pixels_changed": _pixels_changed(x, inputs, "the returned batch"),
                "batch": _rounded(x)}


@dataclass(frozen=True)
class AugmenterProbe(Observation):
    """A returned augmentation model applied here to ``count`` test images of ``dataset``, which the
    student's process never received: in training mode by two copies loaded under different global seeds
    (only seeded random layers agree), and in inference mode, where augmentation must do nothing."""

    dataset: str
    count: int = 32
    kind: ClassVar[str] = "augmenter"

    @property
    def key(self) -> str:
        return f"augmenter:{self.dataset}/{self.count}"

    def measure(self, context: Context) -> Any:
        import numpy as np
        from keras import ops

        from autograder import data, determinism

        batch = data.load(self.dataset, seed=context.seed).x_test[: self.count]
        copies = []
        for global_seed in (1001, 1002):  # unseeded random layers draw their seed from these
            determinism.seed_everything(global_seed)
            copies.append(artifacts.load_model(context.run_dir))
        augmented = np.asarray(ops.convert_to_numpy(copies[0](batch, training=True)), dtype=np.float64)
        again = np.asarray(ops.convert_to_numpy(copies[1](batch, training=True)), dtype=np.float64)
        inference = np.asarray(ops.convert_to_numpy(copies[0](batch, training=False)), dtype=np.float64)
        return {"shape_kept": _property(augmented.shape == batch.shape,
                                        f"training=True turned {_shape_text(batch.shape)} images into "
                                        f"{_shape_text(augmented.shape)}"),
                "pixels_changed": _pixels_changed(augmented, batch, "training=True"),
                "identity_at_inference": _identity(inference, batch),
                "reproducible": _reproducible(augmented, again),
                "batch": _rounded(augmented)}


def _property(value: Any, note: str) -> dict[str, Any]:
    return {"value": value, "note": note}


def _returned_pair(value: Any) -> tuple[Any, Any]:
    import numpy as np

    if isinstance(value, dict) and {"x", "y"} <= value.keys():
        value = [value["x"], value["y"]]
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("expected the pair (x, y): the augmented images and their labels")
    try:
        return np.asarray(value[0], dtype=np.float64), np.asarray(value[1], dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError("expected the pair (x, y) of numeric arrays: the augmented images and their labels") \
            from None


def _labels_kept(y: Any, labels: Any) -> dict[str, Any]:
    if y.shape != labels.shape:
        return _property(False, f"{len(y)} labels were returned for {len(labels)} images")
    differing = int((y != labels).sum())
    if differing:
        return _property(False, f"{differing} of {len(labels)} labels differ from the inputs' labels at the same "
                                f"position (were the images shuffled?)")
    return _property(True, f"all {len(labels)} labels are the inputs', in the same order")


def _pixels_changed(x: Any, inputs: Any, what: str) -> dict[str, Any]:
    if x.shape != inputs.shape:
        return _property(None, f"{what} has shape {_shape_text(x.shape)}, so its pixels cannot be compared with "
                               f"the inputs' {_shape_text(inputs.shape)}")
    moved = abs(x - inputs).reshape(len(x), -1).max(axis=1) if len(x) else abs(x)
    changed = int((moved > PIXEL_CHANGED).sum())
    largest = float(moved.max()) if len(x) else 0.0
    return _property(changed * 2 >= len(x) > 0, f"{what} changed {changed} of {len(x)} images (largest pixel "
                                                f"change {largest:.3f})")


def _identity(inference: Any, batch: Any) -> dict[str, Any]:
    if inference.shape != batch.shape:
        return _property(False, f"training=False turned {_shape_text(batch.shape)} images into "
                                f"{_shape_text(inference.shape)}")
    largest = float(abs(inference - batch).max()) if inference.size else 0.0
    if largest > PIXEL_CHANGED:
        return _property(False, f"training=False changed the images (largest pixel change {largest:.3f})")
    return _property(True, "training=False returned the images unchanged")


def _reproducible(first: Any, second: Any) -> dict[str, Any]:
    if first.shape == second.shape and (first.size == 0 or float(abs(first - second).max()) == 0.0):
        return _property(True, "two fresh copies of the model augmented the images identically")
    largest = float(abs(first - second).max()) if first.shape == second.shape else float("nan")
    return _property(False, f"two fresh copies of the model augmented the same images differently (largest "
                            f"difference {largest:.3f})")


def _rounded(x: Any) -> list:
    import numpy as np

    return np.round(x, 4).tolist()


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


# ------------------------------------- exercises 07 (Dropout), 08 (BatchNormalization), 17 (LayerNormalization)
#
# How a returned model behaves, measured here on a fresh copy (``clone_model``: initial weights, so a
# normalizing layer's gamma is 1 and beta 0 whatever the student did) fed a fixed random batch. Each property
# is {"value", "note"} for ``checks.PropertyMatches``.

PROBE_SAMPLES = 32
SAME_OUTPUT = dict(rtol=1e-4, atol=1e-5)  # two outputs closer than this are the same computation
NORMALIZED_WITHIN = 0.05  # |mean| and |std - 1| below this count as normalized (epsilon keeps std under 1)


@dataclass(frozen=True)
class ModelBehaviour(Observation):
    """Inference against training mode (repeatable? random?), a sample alone against inside a batch, and
    which layers normalize their outputs per sample or per feature (in training mode)."""

    kind: ClassVar[str] = "behaviour"

    def measure(self, context: Context) -> Any:
        import keras
        import numpy as np

        from autograder import determinism
        from autograder.summary import ensure_built

        model = context.model()
        determinism.seed_everything(context.seed)
        fresh = keras.models.clone_model(model)
        ensure_built(fresh, context.input_shape)
        shape = tuple(8 if d is None else int(d) for d in fresh.inputs[0].shape[1:])
        rng = np.random.default_rng(context.seed)
        # Scaled and shifted, so that a layer that normalizes has visible work to do.
        x = (rng.normal(size=(PROBE_SAMPLES, *shape)) * 2.0 + 0.5).astype("float32")
        # Inference first: training-mode calls update BatchNormalization's moving statistics.
        results = {"inference_repeatable": _repeatable(fresh, x),
                   "batch_independent_inference": _batch_independent(fresh, x, training=False),
                   "training_varies": _varies(fresh, x),
                   "batch_independent_training": _batch_independent(fresh, x, training=True)}
        results.update(_normalizing_layers(fresh, x))
        return results


def _outputs(model: Any, x: Any, training: bool) -> list:
    import keras
    import numpy as np

    return [np.asarray(keras.ops.convert_to_numpy(o), dtype=np.float64)
            for o in keras.tree.flatten(model(x, training=training))]


def _largest_difference(a: list, b: list) -> float:
    return max((float(abs(p - q).max()) for p, q in zip(a, b) if p.size), default=0.0)


def _same(a: list, b: list) -> bool:
    import numpy as np

    return len(a) == len(b) and all(p.shape == q.shape and np.allclose(p, q, **SAME_OUTPUT) for p, q in zip(a, b))


def _repeatable(model: Any, x: Any) -> dict[str, Any]:
    first, second = _outputs(model, x, False), _outputs(model, x, False)
    if _same(first, second):
        return _property(True, "two calls with training=False gave the same outputs")
    return _property(False, f"two calls with training=False gave different outputs (largest difference "
                            f"{_largest_difference(first, second):.4f})")


def _varies(model: Any, x: Any) -> dict[str, Any]:
    first, second = _outputs(model, x, True), _outputs(model, x, True)
    if _same(first, second):
        return _property(False, "two calls with training=True gave the same outputs")
    return _property(True, f"two calls with training=True gave different outputs (largest difference "
                           f"{_largest_difference(first, second):.4f})")


def _batch_independent(model: Any, x: Any, training: bool) -> dict[str, Any]:
    in_batch = [o[:1] for o in _outputs(model, x, training)]
    alone = _outputs(model, x[:1], training)
    mode = f"training={training}"
    if _same(in_batch, alone):
        return _property(True, f"with {mode}, a sample's output alone equals its output inside a batch of {len(x)}")
    return _property(False, f"with {mode}, a sample's output alone differs from its output inside a batch of "
                            f"{len(x)} (largest difference {_largest_difference(in_batch, alone):.4f})")


def _normalizing_layers(model: Any, x: Any) -> dict[str, Any]:
    """Which top-level layers output mean 0 and std 1 over each sample's features (last axis), and which
    over the batch for each feature, in training mode."""
    import keras
    import numpy as np

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    outputs = keras.tree.flatten(probe(x, training=True))
    per_sample, per_feature = [], []
    for index, (layer, output) in enumerate(zip(layers, outputs), start=1):
        values = np.asarray(keras.ops.convert_to_numpy(output), dtype=np.float64)
        if values.ndim < 2 or values.shape[-1] < 2:
            continue
        values = values.reshape(-1, values.shape[-1])
        name = f"layer {index} {type(layer).__name__}"
        if _normalized(values, axis=1):
            per_sample.append(name)
        if _normalized(values, axis=0):
            per_feature.append(name)
    return {"normalized_per_sample": _layer_count(per_sample, "over each sample's features"),
            "normalized_per_feature": _layer_count(per_feature, "over the batch, feature by feature")}


def _normalized(values: Any, axis: int) -> bool:
    mean, std = values.mean(axis=axis), values.std(axis=axis)
    return bool((abs(mean) < NORMALIZED_WITHIN).all() and (abs(std - 1.0) < NORMALIZED_WITHIN).all())


def _layer_count(names: list[str], how: str) -> dict[str, Any]:
    which = f": {', '.join(names)}" if names else ""
    count = {0: "no layer outputs", 1: "1 layer outputs"}.get(len(names), f"{len(names)} layers output")
    return _property(len(names), f"{count} mean 0 and std 1 {how} (training=True){which}")


# --------------------------------------------------------------- exercises 04 (Adam) and 05 (loss functions)
#
# The optimizer, learning rate and loss a returned model was compiled with, read as data from the saved
# archive's compile config (nothing is rebuilt or imported from it). Each is {"value", "note"} for
# ``checks.PropertyMatches``.

COMPILE_SETTINGS = ("optimizer", "learning_rate", "loss")
LABELS_EXPECTED = {"categorical_crossentropy": "one-hot labels",
                   "sparse_categorical_crossentropy": "integer class labels",
                   "binary_crossentropy": "0/1 labels and one sigmoid output"}


@dataclass(frozen=True)
class CompileSettings(Observation):
    """How the returned model was compiled: optimizer class, learning rate and loss name."""

    kind: ClassVar[str] = "compile_settings"

    def measure(self, context: Context) -> Any:
        if not (context.run_dir / artifacts.MODEL).is_file():
            raise artifacts.BadArtifact("no model was handed back")
        config = artifacts.load_compile_config(context.run_dir)
        if not config:
            note = "the model was not compiled: call model.compile(...) before returning it"
            return {name: _setting(None, note) for name in COMPILE_SETTINGS}
        optimizer = _optimizer_name(config.get("optimizer"))
        rate = _learning_rate(config.get("optimizer"))
        loss = _loss_name(config.get("loss"))
        rate_note = f"learning rate {rate:g}" if isinstance(rate, float) else f"learning rate: {rate}"
        expects = f", which expects {LABELS_EXPECTED[loss]}" if loss in LABELS_EXPECTED else ""
        return {"optimizer": _setting(optimizer, f"optimizer {optimizer}"),
                "learning_rate": _setting(rate, f"{optimizer} with {rate_note}"),
                "loss": _setting(loss, f"loss {loss}{expects}")}


def _optimizer_name(config: Any) -> str:
    if isinstance(config, dict):
        return str(config.get("class_name"))
    if isinstance(config, str):
        import keras

        try:
            return type(keras.optimizers.get(config)).__name__
        except ValueError:
            return config
    return repr(config)


def _learning_rate(config: Any) -> Any:
    """A float (as saved, float32-rounded to 7 digits), or the class of a schedule."""
    options = config.get("config") if isinstance(config, dict) else None
    rate = options.get("learning_rate") if isinstance(options, dict) else None
    if isinstance(rate, (int, float)) and not isinstance(rate, bool):
        return float(f"{rate:.7g}")
    if isinstance(rate, dict):
        return f"a schedule ({rate.get('class_name')})"
    return "unknown" if isinstance(config, dict) else "the optimizer's default"


def _loss_name(config: Any) -> Any:
    """``categorical_crossentropy`` whether given as a string, a function or a loss object;
    ``(from_logits=True)`` appended when the loss expects logits."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    if isinstance(config, str):
        import keras

        try:
            found = keras.losses.get(config)
        except ValueError:
            return config
        return getattr(found, "__name__", None) or _snake(type(found).__name__)
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        options = config.get("config") if isinstance(config.get("config"), dict) else {}
        return _snake(config["class_name"]) + ("(from_logits=True)" if options.get("from_logits") else "")
    return repr(config)


def _setting(value: Any, note: str) -> dict[str, Any]:
    return {"value": value, "note": note}


def _snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# ------------------------------------------------------------------ exercise 19 (tf.data pipelines)
#
# The child handed back two epochs of what the student's dataset yielded (``artifacts.save_dataset``).
# This child rebuilds the features and labels the case gave (from the case's seed), finds which input
# example each yielded row comes from (its nearest input: the augmentation only adds small noise), and
# reports each property as {"value", "note"} for ``checks.PropertyMatches``.


@dataclass(frozen=True)
class PipelineEpochs(Observation):
    """Properties of a pipeline that yields ``(features, labels)`` batches of the ``split`` of ``dataset``
    it was given: element spec, batch sizes, every example once with its label, the noise added,
    whether the order and noise change between epochs, and epoch 1's order (compared with the
    reference under the same seed)."""

    dataset: str
    split: str = "train"
    kind: ClassVar[str] = "pipeline_epochs"

    @property
    def key(self) -> str:
        return f"pipeline_epochs:{self.dataset}/{self.split}"

    def measure(self, context: Context) -> Any:
        from autograder import data
        from autograder.summary import format_shape

        splits = data.load(self.dataset, seed=context.seed)
        x, y = splits.array(self.split, "x"), splits.array(self.split, "y")
        recorded = artifacts.load_dataset(context.run_dir)
        spec = _pipeline_spec_text(recorded)
        first_sizes = [_pipeline_batch_size(element) for element in recorded["epochs"][0]]
        result = {"element_spec": _property(spec, f"elements are {spec}"),
                  "batch_sizes": _property(first_sizes, _pipeline_sizes_note(first_sizes))}
        pairs = [_pipeline_pairs(elements, x.shape[1:]) for elements in recorded["epochs"]]
        if any(pair is None for pair in pairs):
            note = (f"the elements are not (features, labels) pairs with features shaped "
                    f"{format_shape(x.shape[1:])} like the inputs: {spec}")
            return result | {name: _property(None, note) for name in _PIPELINE_PAIR_PROPERTIES}
        orders = [_pipeline_nearest(features, x) for features, _ in pairs]
        return result | {
            "examples_intact": _pipeline_intact(pairs, orders, y),
            "augmented": _pipeline_noise(pairs, orders, x),
            "fresh_noise": _pipeline_fresh_noise(pairs, orders, x),
            "reshuffled": _property(orders[0].tolist() != orders[1].tolist(),
                                    "epoch 2 visits the examples in another order than epoch 1"
                                    if orders[0].tolist() != orders[1].tolist()
                                    else "epoch 2 visits the examples in the same order as epoch 1"),
            "seeded_order": _property(orders[0].tolist(), "epoch 1 visits the examples in the order "
                                      + ", ".join(str(i) for i in orders[0][:8]) + ", ..."),
        }


_PIPELINE_PAIR_PROPERTIES = ("examples_intact", "augmented", "fresh_noise", "reshuffled", "seeded_order")


def _pipeline_spec_text(recorded: dict[str, Any]) -> str:
    """``(float32 (None, 30), int32 (None,))``: each component's dtype and shape, in a tuple's brackets."""
    from autograder.summary import format_shape

    parts = [f"{c.get('dtype')} {'?' if c.get('shape') is None else format_shape(tuple(c['shape']))}"
             for c in recorded["spec"]]
    structure = recorded["structure"]
    if structure.startswith("(") or len(parts) == 1:
        return f"({', '.join(parts)})" if structure.startswith("(") else parts[0]
    return f"{structure} of {', '.join(parts)}"


def _pipeline_batch_size(element: list[Any]) -> int:
    first = element[0]
    return int(first.shape[0]) if first.ndim else 1


def _pipeline_sizes_note(sizes: list[int]) -> str:
    if not sizes:
        return "an epoch yields nothing"
    if len(set(sizes[:-1])) <= 1:
        last = f" and a last one of {sizes[-1]}" if len(sizes) > 1 and sizes[-1] != sizes[0] else ""
        full = len(sizes) - (1 if last else 0)
        return f"an epoch yields {len(sizes)} batches: {full} of {sizes[0]}{last}"
    return f"an epoch yields {len(sizes)} batches of sizes {', '.join(map(str, sizes[:8]))}, ..."


def _pipeline_pairs(elements: list[list[Any]], feature_shape: tuple[int, ...]) -> tuple[Any, Any] | None:
    """All features and labels of one epoch, one row per example, or None if they are not such pairs."""
    import numpy as np

    features, labels = [], []
    for element in elements:
        if len(element) != 2:
            return None
        x, y = element
        if x.ndim == len(feature_shape):  # an unbatched element: one example
            x, y = x[None], y.reshape(1, *y.shape)
        if x.shape[1:] != tuple(feature_shape) or y.shape[:1] != x.shape[:1] or y.size != len(x):
            return None
        features.append(x.astype("float64"))
        labels.append(y.reshape(-1))
    if not features:
        return None
    return np.concatenate(features), np.concatenate(labels)


def _pipeline_nearest(features: Any, x: Any) -> Any:
    """For each yielded row, the index of the closest input example."""
    import numpy as np

    inputs = x.reshape(len(x), -1).astype("float64")
    rows = features.reshape(len(features), -1)
    norms = (inputs ** 2).sum(axis=1)
    nearest = [np.argmin(norms - 2 * chunk @ inputs.T, axis=1) for chunk in np.array_split(rows, max(1, len(rows) // 512))]
    return np.concatenate(nearest) if nearest else np.zeros(0, dtype=int)


def _pipeline_intact(pairs: list[tuple[Any, Any]], orders: list[Any], y: Any) -> dict[str, Any]:
    import numpy as np

    problems = []
    for epoch, ((_, labels), order) in enumerate(zip(pairs, orders), start=1):
        seen = np.bincount(order, minlength=len(y))
        missing, repeated = int((seen == 0).sum()), int((seen > 1).sum())
        relabelled = int((labels != y[order]).sum())
        found = [f"{missing} of the {len(y)} examples missing" if missing else "",
                 f"{repeated} repeated" if repeated else "",
                 f"{relabelled} yielded with another example's label" if relabelled else ""]
        if any(found):
            problems.append(f"epoch {epoch}: " + ", ".join(part for part in found if part))
    if problems:
        return _property(False, "; ".join(problems))
    return _property(True, f"each of the {len(pairs)} epochs yields all {len(y)} examples once, each with its own label")


def _pipeline_noise(pairs: list[tuple[Any, Any]], orders: list[Any], x: Any) -> dict[str, Any]:
    """The standard deviation of what augmentation added, rounded so that equal settings compare equal."""
    import numpy as np

    differences = np.concatenate([features - x[order] for (features, _), order in zip(pairs, orders)])
    changed = int((np.abs(differences.reshape(len(differences), -1)).max(axis=1) > 1e-6).sum())
    if not changed:
        return _property(0.0, "the features come out exactly as they went in: no augmentation was applied")
    spread = float(differences.std())
    return _property(round(spread, 2), f"the features differ from the inputs by noise of standard deviation "
                                       f"{spread:.3f} ({changed} of {len(differences)} yielded examples changed)")


def _pipeline_fresh_noise(pairs: list[tuple[Any, Any]], orders: list[Any], x: Any) -> dict[str, Any]:
    """Whether epoch 2 adds other noise to an example than epoch 1 did (augmentation inside the pipeline)."""
    import numpy as np

    noise = []
    for (features, _), order in zip(pairs, orders):
        by_example = np.full((len(x), *features.shape[1:]), np.nan)
        by_example[order] = features - x[order]
        noise.append(by_example)
    both = ~np.isnan(noise[0]) & ~np.isnan(noise[1])
    same = bool(both.any()) and np.allclose(noise[0][both], noise[1][both], atol=1e-6)
    if not both.any() or np.abs(noise[0][both]).max() <= 1e-6:
        return _property(False, "no example carries augmentation noise in both epochs")
    if same:
        return _property(False, "epoch 2 adds exactly the same noise to each example as epoch 1")
    return _property(True, "each epoch adds new noise to every example")


# ------------------------------------------------------------------ exercise 20 (ModelCheckpoint)
#
# The student's function saves a checkpoint under a file name the case gives, in its working directory
# (the case's run directory). This child loads that file as safely as any model (fixed name from the
# specification, no symlinks, safe_mode=True, compile=False) and re-measures it on the case's data.


@dataclass(frozen=True)
class CheckpointBest(Observation):
    """Whether the checkpoint file scores the best epoch's validation accuracy (``saves_best``), and how
    many epochs the history recorded with it (``epochs``)."""

    dataset: str
    filename: str
    monitor: str = "val_accuracy"
    kind: ClassVar[str] = "checkpoint_best"

    @property
    def key(self) -> str:
        return f"checkpoint_best:{self.dataset}/{self.filename}/{self.monitor}"

    def measure(self, context: Context) -> Any:
        from autograder import data

        history = artifacts.load_history(context.run_dir)
        values = history.get(self.monitor)
        if not values:
            raise ValueError(f"the history has no {self.monitor!r}: pass validation data and "
                             f"metrics=['accuracy'] (keys: {', '.join(sorted(history)) or 'none'})")
        epochs = _property(len(values), f"training ran {len(values)} epochs with validation")
        try:
            model = artifacts.load_model_file(context.run_dir, self.filename)
        except artifacts.BadArtifact as exc:
            return {"saves_best": _property(False, str(exc)), "epochs": epochs}
        splits = data.load(self.dataset, seed=context.seed)
        now = accuracy(model, splits.x_val, splits.y_val)
        best, best_epoch, last = max(values), values.index(max(values)) + 1, values[-1]
        saved_best = abs(now - best) <= 0.5 / len(splits.y_val)  # one example changes it by 1/len
        where = f"epoch {best_epoch} of {len(values)}; the last epoch had {last:.4f}"
        note = (f"the checkpoint {self.filename} scores the best epoch's {self.monitor} {best:.4f} ({where})"
                if saved_best else f"the checkpoint {self.filename} scores {self.monitor} {now:.4f}, but the best "
                                   f"epoch had {best:.4f} ({where})")
        return {"saves_best": _property(saved_best, note), "epochs": epochs}


@dataclass(frozen=True)
class CheckpointEvaluated(Observation):
    """Accuracy of the checkpoint file on a split of the case's data (by default ``test``, which the
    student's process never received)."""

    dataset: str
    filename: str
    split: str = "test"
    kind: ClassVar[str] = "checkpoint_evaluated"

    @property
    def key(self) -> str:
        return f"checkpoint_evaluated:{self.dataset}/{self.filename}/{self.split}"

    def measure(self, context: Context) -> Any:
        from autograder import data

        splits = data.load(self.dataset, seed=context.seed)
        model = artifacts.load_model_file(context.run_dir, self.filename)
        return {"metric": accuracy(model, splits.array(self.split, "x"), splits.array(self.split, "y"))}

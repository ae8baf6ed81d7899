"""Probes of how a model behaves (dropout, normalization).

How a returned model behaves, measured here on a fresh copy (``clone_model``: initial weights, so a normalizing layer's gamma is 1 and beta 0 whatever the student did) fed a fixed random batch. Each property is {"value", "note"} for ``checks.PropertyMatches``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.measure.observations import Context, Observation, measured_property

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

        from autograder.measure.summary import ensure_built
        from autograder.sandbox import determinism

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
        return measured_property(True, "two calls with training=False gave the same outputs")
    return measured_property(False, f"two calls with training=False gave different outputs (largest difference "
                            f"{_largest_difference(first, second):.4f})")


def _varies(model: Any, x: Any) -> dict[str, Any]:
    first, second = _outputs(model, x, True), _outputs(model, x, True)
    if _same(first, second):
        return measured_property(False, "two calls with training=True gave the same outputs")
    return measured_property(True, f"two calls with training=True gave different outputs (largest difference "
                           f"{_largest_difference(first, second):.4f})")


def _batch_independent(model: Any, x: Any, training: bool) -> dict[str, Any]:
    in_batch = [o[:1] for o in _outputs(model, x, training)]
    alone = _outputs(model, x[:1], training)
    mode = f"training={training}"
    if _same(in_batch, alone):
        return measured_property(True, f"with {mode}, a sample's output alone equals its output inside a batch of {len(x)}")
    return measured_property(False, f"with {mode}, a sample's output alone differs from its output inside a batch of "
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
    return measured_property(len(names), f"{count} mean 0 and std 1 {how} (training=True){which}")

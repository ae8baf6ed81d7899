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
    """Which layers output mean 0 and std 1 over each sample's features (last axis), and which over the
    batch for each feature, in training mode. Layers inside nested models count as the summary counts them
    (``summary._leaf_layers``: numbered among leaf layers), so blocks wrapped in sub-models are found."""
    import numpy as np

    per_sample, per_feature = [], []
    for index, _path, layer, outputs in leaf_outputs(model, x, training=True)[0]:
        if not outputs:
            continue
        values = np.asarray(outputs[0], dtype=np.float64)
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


def leaf_outputs(model: Any, x: Any, training: bool,
                 before_activation: dict[int, list] | None = None) -> tuple[list[tuple[int, str, Any, list]], list]:
    """Call ``model`` on ``x`` once and return, for each leaf layer in the summary's order (nested models
    flattened, InputLayer left out), ``(index, path, layer, outputs)``: ``outputs`` the NumPy arrays the
    layer returned in that call (its first call, if it is called more than once), ``[]`` if it was not
    called; and the model's own outputs in that call, as NumPy arrays. Each leaf layer's ``call`` is
    wrapped for the one call and restored afterwards, which reaches layers inside nested Sequential and
    Functional models alike, where a probe model built from ``layer.output`` would not (a nested model's
    layers live in its own graph). ``before_activation``, if given, receives by index what each layer with
    an activation of its own (``Dense(..., activation=...)``, not an ``Activation`` layer) passed to it."""
    import keras
    import numpy as np

    from autograder.measure.summary import _leaf_layers

    def arrays(result: Any) -> list:
        return [np.asarray(keras.ops.convert_to_numpy(o)) for o in keras.tree.flatten(result)]

    def recording(seen: dict[int, list], index: int, function: Any, inputs: bool = False) -> Any:
        def recorded(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            if index not in seen:
                seen[index] = arrays(args[0] if inputs else result)
            return result
        return recorded

    leaves = [(index, path, layer) for index, (path, layer) in enumerate(_leaf_layers(model), start=1)]
    seen: dict[int, list] = {}
    wrapped: list[tuple[Any, str, Any]] = []  # (layer, attribute, the instance's own value or None)
    try:
        for index, _path, layer in leaves:
            wrapped.append((layer, "call", layer.__dict__.get("call")))
            layer.call = recording(seen, index, layer.call)
            activation = layer.__dict__.get("activation")
            if (before_activation is not None and callable(activation) and type(layer).__name__ != "Activation"
                    and getattr(activation, "__name__", "") != "linear"):
                wrapped.append((layer, "activation", activation))
                layer.activation = recording(before_activation, index, activation, inputs=True)
        result = model(x, training=training)
    finally:
        for layer, attribute, original in reversed(wrapped):
            if original is None:
                delattr(layer, attribute)
            else:
                setattr(layer, attribute, original)
    return [(index, path, layer, seen.get(index, [])) for index, path, layer in leaves], arrays(result)


def _normalized(values: Any, axis: int) -> bool:
    mean, std = values.mean(axis=axis), values.std(axis=axis)
    return bool((abs(mean) < NORMALIZED_WITHIN).all() and (abs(std - 1.0) < NORMALIZED_WITHIN).all())


def _layer_count(names: list[str], how: str) -> dict[str, Any]:
    which = f": {', '.join(names)}" if names else ""
    count = {0: "no layer outputs", 1: "1 layer outputs"}.get(len(names), f"{len(names)} layers output")
    return measured_property(len(names), f"{count} mean 0 and std 1 {how} (training=True){which}")

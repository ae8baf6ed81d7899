"""A model summary read from layer attributes, never from ``model.summary()`` text.

``ModelSummary.from_model`` runs where Keras is loaded (the measuring child); the result is plain data
(``to_dict``/``from_dict``) that the deciding process compares without importing TensorFlow.
Nested models are flattened into their leaf layers so that wrapping layers in a sub-model does not
change how a model compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

# The configuration values that name a layer's size and kind (``LayerInfo.describe`` and older specs that
# compare a few keys by name); the summary itself records every key of ``get_config()`` (``CONFIG_RULES``).
KEY_CONFIG = (
    "units", "filters", "kernel_size", "strides", "padding", "pool_size", "rate", "activation",
    "return_sequences", "input_dim", "output_dim", "use_bias", "axis", "center", "scale",
    "data_format", "mode", "factor", "height_factor", "width_factor", "target_shape",
)

Shape = tuple  # of int | None


@dataclass(frozen=True)
class LayerInfo:
    index: int  # 1-based position among leaf layers, InputLayer excluded
    path: str  # layer name, prefixed by enclosing sub-models: "encoder/dense_1"
    cls: str
    bases: tuple[str, ...]  # class names along the MRO, so subclasses can be accepted
    output_shape: Shape | None
    trainable_params: int
    non_trainable_params: int
    config: dict[str, Any] = field(default_factory=dict)

    def is_a(self, cls: str) -> bool:
        return cls in self.bases

    def describe(self) -> str:
        """``Conv2D(32, 3x3)``, ``Dense(64)``, ``Dropout(0.5)``: class and defining sizes."""
        c = self.config
        args: list[str] = []
        if "units" in c:
            args.append(str(c["units"]))
        if "filters" in c:
            args.append(str(c["filters"]))
        if "kernel_size" in c:
            args.append(_size(c["kernel_size"]))
        if "pool_size" in c:
            args.append(_size(c["pool_size"]))
        if "rate" in c:
            args.append(f"{c['rate']:g}")
        if "input_dim" in c and "output_dim" in c:
            args.append(f"{c['input_dim']} -> {c['output_dim']}")
        if c.get("return_sequences"):
            args.append("return_sequences")
        if self.cls == "ZeroPadding2D" and "padding" in c:
            args.append(f"padding={_padding(c['padding'])}")
        return f"{self.cls}({', '.join(args)})" if args else self.cls

    def describe_with_shape(self) -> str:
        return f"{self.describe()} -> {format_shape(self.output_shape)}"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "path": self.path, "class": self.cls, "bases": list(self.bases),
                "output_shape": None if self.output_shape is None else list(self.output_shape),
                "trainable_params": self.trainable_params, "non_trainable_params": self.non_trainable_params,
                "config": self.config}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "LayerInfo":
        shape = d.get("output_shape")
        return cls(d["index"], d["path"], d["class"], tuple(d["bases"]),
                   None if shape is None else tuple(shape), int(d["trainable_params"]),
                   int(d["non_trainable_params"]), dict(d.get("config", {})))


@dataclass(frozen=True)
class ModelSummary:
    kind: str  # Sequential, Functional or the subclass name
    layers: tuple[LayerInfo, ...]
    input_shape: Shape | None
    output_shape: Shape | None

    @property
    def trainable_params(self) -> int:
        return sum(layer.trainable_params for layer in self.layers)

    @property
    def non_trainable_params(self) -> int:
        return sum(layer.non_trainable_params for layer in self.layers)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "layers": [layer.to_dict() for layer in self.layers],
                "input_shape": None if self.input_shape is None else list(self.input_shape),
                "output_shape": None if self.output_shape is None else list(self.output_shape),
                "trainable_params": self.trainable_params, "non_trainable_params": self.non_trainable_params}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ModelSummary":
        shape = lambda s: None if s is None else tuple(s)  # noqa: E731
        return cls(d["kind"], tuple(LayerInfo.from_dict(x) for x in d["layers"]),
                   shape(d.get("input_shape")), shape(d.get("output_shape")))

    def table(self) -> list[tuple[str, str, str, str]]:
        """Rows of (layer, output shape, trainable, non-trainable) for reports."""
        return [(f"{layer.index}. {layer.describe()}", format_shape(layer.output_shape),
                 f"{layer.trainable_params:,}", f"{layer.non_trainable_params:,}") for layer in self.layers]

    @classmethod
    def from_model(cls, model: Any, input_shape: tuple[int, ...] | None = None) -> "ModelSummary":
        """Summarize a Keras model, building it first from ``input_shape`` if it was never built."""
        ensure_built(model, input_shape)
        layers = [
            _layer_info(index, path, layer)
            for index, (path, layer) in enumerate(_leaf_layers(model), start=1)
        ]
        return cls(_kind(model), tuple(layers), _shape_of(_safe(lambda: model.inputs[0].shape)),
                   _shape_of(_safe(lambda: model.outputs[0].shape)) or (layers[-1].output_shape if layers else None))


def ensure_built(model: Any, input_shape: tuple[int, ...] | None) -> None:
    """Build an unbuilt model so that its layers have weights and output shapes."""
    import numpy as np

    if _is_graph_model(model) and model.built:
        return
    if input_shape is None:
        raise ValueError("the model was never built and the exercise gives no input shape to build it")
    if _kind(model) == "Sequential":
        model.build((None, *input_shape))
    else:
        # A subclassed model's build() only marks it built; calling it creates the weights.
        model(np.zeros((1, *input_shape), dtype="float32"))


def format_shape(shape: Shape | None) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _kind(model: Any) -> str:
    import keras

    if isinstance(model, keras.Sequential):
        return "Sequential"
    if type(model) in (keras.Model,) or type(model).__name__ == "Functional":
        return "Functional"
    return type(model).__name__


def _is_graph_model(model: Any) -> bool:
    return _kind(model) in ("Sequential", "Functional")


def _leaf_layers(model: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        path = f"{prefix}{layer.name}"
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer, prefix=f"{path}/")
        else:
            yield path, layer


def _layer_info(index: int, path: str, layer: Any) -> LayerInfo:
    import keras

    bases = tuple(c.__name__ for c in type(layer).__mro__ if issubclass(c, keras.layers.Layer))
    # Count weights, never variables: seeded Dropout/Random* layers hold a random-state variable.
    trainable = sum(_size_of(w) for w in layer.trainable_weights)
    non_trainable = sum(_size_of(w) for w in layer.non_trainable_weights)
    config = normalized_config(_safe(layer.get_config) or {}, bases)
    shape = _shape_of(_safe(lambda: layer.output.shape))
    return LayerInfo(index, path, type(layer).__name__, bases, shape, trainable, non_trainable, config)


def _size_of(weight: Any) -> int:
    size = 1
    for dim in weight.shape:
        size *= int(dim)
    return size


def _shape_of(shape: Any) -> Shape | None:
    if shape is None:
        return None
    return tuple(None if d is None else int(d) for d in shape)


# ------------------------------------------------------------------------------ configuration
#
# A layer's whole ``get_config()``, normalized so that what carries no meaning is dropped and equivalent
# spellings compare equal. Every rule is one entry of ``CONFIG_RULES`` (by key) or ``CONFIG_SUFFIX_RULES``
# (by the end of the key); a rule maps (value, the layer's class names) to the normalized value, or to
# ``DROP``. Every other value is only made JSON-plain (tuples to lists). The result is plain data.

DROP = object()  # a rule's answer for a key that carries no meaning


def _dropped(value: Any, bases: tuple[str, ...]) -> Any:
    """Names, dtype policies and build-only shapes change nothing a layer does; ``trainable`` shows in the
    trainable and non-trainable parameter counts, which ``ParamCounts`` compares."""
    return DROP


def _spatial(value: Any, bases: tuple[str, ...]) -> Any:
    """``3`` and ``(3, 3)`` for a 2D layer's kernel_size, strides, pool_size or dilation_rate: Keras
    expands a single int to one per spatial dimension, and so does the summary."""
    value = _plain(value)
    rank = next((int(m.group(1)) for m in (re.search(r"([123])D$", b) for b in bases) if m), None)
    if isinstance(value, int) and not isinstance(value, bool) and rank:
        return [value] * rank
    return value


def _activation(value: Any, bases: tuple[str, ...]) -> Any:
    """``keras.activations.relu`` and ``"relu"``, ``None`` and ``"linear"``: the activation's name."""
    if value is None:
        return "linear"
    if isinstance(value, dict) and "class_name" in value:
        if value.get("class_name") == "function" and isinstance(value.get("config"), str):
            return value["config"]
        return _keras_object(value, bases)
    return _plain(value)


def _keras_object(value: Any, bases: tuple[str, ...]) -> Any:
    """An initializer, regularizer or constraint as one string: its identifier (``"glorot_uniform"``)
    when its config holds only unset values and a seed, otherwise ``"Constant(value=0.5)"``. A seed of
    an initializer is free like a layer's own (no task fixes it): the grader trains its own copy."""
    if isinstance(value, dict) and "class_name" in value:
        name = str(value["class_name"])
        config = value.get("config")
        if name == "function" and isinstance(config, str):
            return config
        if not isinstance(config, dict):
            return snake_case(name)
        settings = {k: _plain(v) for k, v in sorted(config.items()) if k != "seed" and v is not None}
        if not settings:
            return snake_case(name)
        return f"{name}(" + ", ".join(f"{k}={_text(v)}" for k, v in settings.items()) + ")"
    if isinstance(value, str):  # an identifier kept as given
        return snake_case(value) if value[:1].isupper() else value
    return _plain(value)


def _axis(value: Any, bases: tuple[str, ...]) -> Any:
    """``-1`` and ``[-1]`` for a normalization layer's axis (LayerNormalization keeps either)."""
    value = _plain(value)
    return value[0] if isinstance(value, list) and len(value) == 1 else value


# Random image layers whose factor ``f`` means the range ``(-f, f)``; RandomContrast's does not.
SYMMETRIC_FACTOR_LAYERS = frozenset({"RandomZoom", "RandomTranslation", "RandomRotation"})


def _symmetric_factor(value: Any, bases: tuple[str, ...]) -> Any:
    """``(-0.2, 0.2)`` and ``0.2`` for RandomZoom, RandomTranslation and RandomRotation factors."""
    value = _plain(value)
    if (SYMMETRIC_FACTOR_LAYERS.intersection(bases) and isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            and value[0] == -value[1] and value[1] >= 0):
        return value[1]
    return value


CONFIG_RULES: dict[str, Any] = {
    "name": _dropped, "dtype": _dropped, "trainable": _dropped,
    "batch_input_shape": _dropped, "input_shape": _dropped, "batch_shape": _dropped,
    "kernel_size": _spatial, "strides": _spatial, "pool_size": _spatial, "dilation_rate": _spatial,
    "axis": _axis, "activation": _activation, "recurrent_activation": _activation,
    "factor": _symmetric_factor, "height_factor": _symmetric_factor, "width_factor": _symmetric_factor,
}
CONFIG_SUFFIX_RULES: dict[str, Any] = {
    "_initializer": _keras_object, "_regularizer": _keras_object, "_constraint": _keras_object,
}


def normalized_config(config: dict[str, Any], bases: tuple[str, ...] = ()) -> dict[str, Any]:
    """A layer's ``get_config()`` with every rule applied, as JSON-plain data, keys sorted."""
    normalized: dict[str, Any] = {}
    for key in sorted(config):
        rule = CONFIG_RULES.get(key) or next(
            (r for suffix, r in CONFIG_SUFFIX_RULES.items() if key.endswith(suffix)), None)
        value = rule(config[key], bases) if rule else _plain(config[key])
        if value is not DROP:
            normalized[key] = value
    return normalized


def _plain(value: Any) -> Any:
    """JSON-plain config values: tuples to lists, NumPy scalars to numbers, a nested serialized layer
    (a wrapper's ``layer``) normalized like a leaf layer's config."""
    if isinstance(value, (list, tuple)):
        return _digest([_plain(v) for v in value])
    if isinstance(value, dict):
        if value.get("class_name") == "__numpy__" and isinstance(value.get("config"), dict):
            return _plain(value["config"].get("value"))  # an array Keras serialized: its values
        if "class_name" in value and isinstance(value.get("config"), dict):
            return {"class_name": str(value["class_name"]),
                    "config": normalized_config(value["config"], (str(value["class_name"]),))}
        return {str(k): _plain(v) for k, v in value.items() if k not in ("module", "registered_name")}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return _plain(item())
        except Exception:  # noqa: BLE001 - not a scalar
            pass
    return str(value)


MAX_LISTED = 16  # numbers a config value lists in full; a longer array is named by its shape and a hash


def _digest(values: list[Any]) -> Any:
    """A long (nested) list as ``"<64x10 array 3f2a9c1e>"``: equal arrays still compare equal, and a
    message quoting it stays one line instead of the array's every value."""
    import hashlib
    import json

    flat, shape, level = values, [len(values)], values
    while level and all(isinstance(v, list) for v in level):
        shape.append(len(level[0]))
        level = [x for v in level for x in v]
        flat = level
    if len(flat) <= MAX_LISTED:
        return values
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:8]
    return f"<{'x'.join(map(str, shape))} array {digest}>"


def snake_case(name: str) -> str:
    """``GlorotUniform`` -> ``glorot_uniform``, ``L2`` -> ``l2``, ``MaxNorm`` -> ``max_norm``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "(" + ", ".join(_text(v) for v in value) + ")"
    if isinstance(value, str) and value.startswith("<") and value.endswith(" array " + value[-9:-1] + ">"):
        return value  # an array's digest (``_digest``), not a string the student wrote
    return repr(value)


def _size(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "x".join(str(v) for v in value)
    return str(value)


def _padding(value: Any) -> str:
    return str(tuple(tuple(v) if isinstance(v, list) else v for v in value)) if isinstance(value, list) else str(value)


def _safe(get: Any) -> Any:
    try:
        return get()
    except Exception:  # noqa: BLE001 - attribute missing on this kind of layer or model
        return None

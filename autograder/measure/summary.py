"""A model summary read from layer attributes, never from ``model.summary()`` text.

``ModelSummary.from_model`` runs where Keras is loaded (the measuring child); the result is plain data
(``to_dict``/``from_dict``) that the deciding process compares without importing TensorFlow.
Nested models are flattened into their leaf layers so that wrapping layers in a sub-model does not
change how a model compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

# The configuration values that make two layers of one class different in a way a course cares about.
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
    config = _safe(layer.get_config) or {}
    key_config = {key: _plain(config[key]) for key in KEY_CONFIG if key in config}
    shape = _shape_of(_safe(lambda: layer.output.shape))
    return LayerInfo(index, path, type(layer).__name__, bases, shape, trainable, non_trainable, key_config)


def _size_of(weight: Any) -> int:
    size = 1
    for dim in weight.shape:
        size *= int(dim)
    return size


def _shape_of(shape: Any) -> Shape | None:
    if shape is None:
        return None
    return tuple(None if d is None else int(d) for d in shape)


def _plain(value: Any) -> Any:
    """JSON-friendly config values: tuples to lists, serialized objects to their class name."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return value.get("class_name", str(value)).lower() if "class_name" in value else str(value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


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

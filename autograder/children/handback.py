"""Run child side: hand back what the student's function returned, as files the grader can load safely.

Runs in the untrusted child, after the student's function returned. A model is saved as ``.keras``, a
history as JSON plus its model, a value as JSON, a dataset as the arrays two epochs of it yielded, a
callback as its class name and constructor settings (plain values: the grader rebuilds it from them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.sandbox.artifacts import (
    CALLBACK,
    DATASET,
    DATASET_ARRAYS,
    DATASET_EPOCHS,
    HISTORY,
    MAX_DATASET_BYTES,
    MAX_DATASET_COMPONENTS,
    MAX_DATASET_ELEMENTS,
    MODEL,
    VALUE,
    write_json,
)

MAX_MODEL_PARAMS = 20_000_000  # course models hold thousands; handing back more only fills the disk
MAX_VALUE_ITEMS = 100_000  # numbers in a returned value: the course's hold a few thousand at most
MAX_VALUE_DEPTH = 20  # nesting of a returned value: the course's are a few levels deep


class WrongReturn(Exception):
    """The student's function returned something of the wrong kind."""


def save(value: Any, returns: str, out: Path, function: str) -> None:
    import keras

    if returns == "model":
        if not isinstance(value, keras.Model):
            raise WrongReturn(f"{function}() returned {_kind(value)}; expected a keras Model "
                              "(e.g. keras.Sequential([...]))")
        _refuse_huge(value, function)
        value.save(out / MODEL)
    elif returns == "history":
        if not isinstance(value, keras.callbacks.History) or getattr(value, "model", None) is None:
            raise WrongReturn(f"{function}() returned {_kind(value)}; expected the History object "
                              "that model.fit(...) returns")
        write_json(out / HISTORY, {"history": {k: [float(x) for x in v] for k, v in value.history.items()},
                                   "params": {k: v for k, v in (value.params or {}).items()
                                              if isinstance(v, (int, float, str)) or v is None}})
        _refuse_huge(value.model, function)
        value.model.save(out / MODEL)
    elif returns == "value":
        write_json(out / VALUE, {"value": to_plain(value, function)})
    elif returns == "dataset":  # see save_dataset below
        save_dataset(value, out, function)
    elif returns == "callback":
        write_json(out / CALLBACK, callback_settings(value, function))
    else:  # pragma: no cover - guarded by Exercise validation
        raise ValueError(returns)


def callback_settings(callback: Any, function: str) -> dict[str, Any]:
    """A built-in Keras callback as ``{"class_name", "settings"}``: each constructor argument read back
    from the object (an ``initial_value_threshold`` Keras keeps only as ``best``)."""
    import inspect

    import keras

    cls = type(callback)
    if not isinstance(callback, keras.callbacks.Callback) or not cls.__module__.startswith("keras."):
        raise WrongReturn(f"{function}() returned {_kind(callback)}; expected a Keras callback "
                          "(e.g. keras.callbacks.EarlyStopping(...))")
    settings = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        alias = "best" if name in ("baseline", "initial_value_threshold") and not hasattr(callback, name) else name
        value = getattr(callback, alias, None)
        settings[name] = value if isinstance(value, (bool, int, float, str)) or value is None else repr(value)[:200]
    return {"class_name": cls.__name__, "settings": settings}


def _refuse_huge(model: Any, function: str) -> None:
    try:
        params = model.count_params()
    except ValueError:  # not built yet: the measuring side builds it, and refuses it there if need be
        return
    if params > MAX_MODEL_PARAMS:
        raise WrongReturn(f"{function}() returned a model with {params:,} parameters, more than the "
                          f"{MAX_MODEL_PARAMS:,} the grader accepts")


def to_plain(value: Any, function: str) -> Any:
    """Numbers, strings, lists and dicts as JSON; NumPy arrays and scalars converted, and so are tensors
    (TensorFlow, Keras, JAX, PyTorch: an object of those packages' types with ``.numpy()`` or that Keras
    calls a tensor, converted to NumPy first). Bounded: up to ``MAX_VALUE_ITEMS`` numbers, nested up to
    ``MAX_VALUE_DEPTH`` levels."""
    import numpy as np

    left = MAX_VALUE_ITEMS

    def too_many() -> WrongReturn:
        return WrongReturn(f"{function}() returned a value of more than {MAX_VALUE_ITEMS:,} numbers, more than "
                           "the grader accepts (the task's values hold far fewer)")

    def plain(value: Any, depth: int) -> Any:
        nonlocal left
        if depth > MAX_VALUE_DEPTH:
            raise WrongReturn(f"{function}() returned a value nested more than {MAX_VALUE_DEPTH} levels deep")
        if _is_tensor(value):
            value = _tensor_to_numpy(value, function)
        if isinstance(value, np.ndarray):
            if value.size > left:
                raise too_many()
            return plain(value.tolist(), depth)
        if isinstance(value, (list, tuple, dict)) and len(value) > left:
            raise too_many()
        if isinstance(value, (list, tuple)):
            if not value:  # an empty container counts as one item, so that nothing is free
                left -= 1
            return [plain(v, depth + 1) for v in value]
        if isinstance(value, dict):
            if not value:
                left -= 1
            return {str(k): plain(v, depth + 1) for k, v in value.items()}
        left -= 1
        if left < 0:
            raise too_many()
        if isinstance(value, np.generic):
            value = value.item()  # a NumPy int or bool becomes Python's own; a longdouble stays NumPy's
        if isinstance(value, (bool, int, float, str)) or value is None:
            return value
        raise WrongReturn(f"{function}() returned {_kind(value)}, which is not a number, list or dict"
                          if depth == 0 else
                          f"{function}() returned a value holding {_kind(value)}, which is not a number, list "
                          "or dict")

    return plain(value, 0)


TENSOR_PACKAGES = ("tensorflow", "keras", "jax", "jaxlib", "torch")


def _is_tensor(value: Any) -> bool:
    """A tensor of a package the course uses, recognized by its type's package: no method of any other
    object is called."""
    if type(value).__module__.split(".")[0] not in TENSOR_PACKAGES:
        return False
    if callable(getattr(value, "numpy", None)):
        return True
    import keras

    return bool(keras.ops.is_tensor(value)) or isinstance(value, keras.KerasTensor)  # symbolic: told so below


def _tensor_to_numpy(value: Any, function: str) -> Any:
    import numpy as np

    try:
        if callable(getattr(value, "numpy", None)):
            array = value.numpy()
        else:
            import keras

            array = keras.ops.convert_to_numpy(value)
    except Exception as exc:  # noqa: BLE001 - e.g. a symbolic tensor, which holds no numbers
        raise WrongReturn(f"{function}() returned {_kind(value)}, which could not be converted to a NumPy "
                          f"array: {type(exc).__name__}: {str(exc)[:200]}") from None
    if not isinstance(array, (np.ndarray, np.generic)):
        raise WrongReturn(f"{function}() returned {_kind(value)}, whose .numpy() gave {_kind(array)}, not a "
                          "NumPy array")
    return array


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    cls = type(value)
    return f"a {cls.__module__.split('.')[0]}.{cls.__qualname__}" if cls.__module__ != "builtins" else f"a {cls.__name__}"


def save_dataset(value: Any, out: Path, function: str) -> None:
    import numpy as np
    import tensorflow as tf

    if not isinstance(value, tf.data.Dataset):
        raise WrongReturn(f"{function}() returned {_kind(value)}; expected a tf.data.Dataset "
                          "(e.g. tf.data.Dataset.from_tensor_slices(...)...)")
    specs = tf.nest.flatten(value.element_spec)
    if not 0 < len(specs) <= MAX_DATASET_COMPONENTS or not all(
            isinstance(spec, tf.TensorSpec) and (spec.dtype.is_floating or spec.dtype.is_integer or spec.dtype.is_bool)
            for spec in specs):
        raise WrongReturn(f"{function}() returned a dataset whose elements are not up to "
                          f"{MAX_DATASET_COMPONENTS} numeric tensors: {value.element_spec}")
    structure = str(tf.nest.pack_sequence_as(value.element_spec, list(range(len(specs)))))
    arrays: dict[str, Any] = {}
    shapes: list[list[list[list[int]]]] = []
    total = 0
    for epoch in range(DATASET_EPOCHS):
        parts: list[list[Any]] = [[] for _ in specs]
        epoch_shapes = []
        for count, element in enumerate(value):
            if count >= MAX_DATASET_ELEMENTS:
                raise WrongReturn(f"the dataset {function}() returned yields more than {MAX_DATASET_ELEMENTS:,} "
                                  "elements per epoch: is it endless (repeat()) or not batched?")
            tensors = [np.asarray(t) for t in tf.nest.flatten(element)]
            total += sum(t.nbytes for t in tensors)
            if total > MAX_DATASET_BYTES:
                raise WrongReturn(f"two epochs of the dataset {function}() returned hold more than "
                                  f"{MAX_DATASET_BYTES // (1024 * 1024)} MB")
            for part, tensor in zip(parts, tensors):
                part.append(tensor.reshape(-1))
            epoch_shapes.append([list(t.shape) for t in tensors])
        for index, (part, spec) in enumerate(zip(parts, specs)):
            arrays[f"epoch{epoch}_{index}"] = (np.concatenate(part) if part
                                               else np.zeros(0, dtype=spec.dtype.as_numpy_dtype))
        shapes.append(epoch_shapes)
    np.savez(out / DATASET_ARRAYS, **arrays)
    write_json(out / DATASET, {"structure": structure, "shapes": shapes,
                               "spec": [{"shape": spec.shape.as_list() if spec.shape.rank is not None else None,
                                         "dtype": spec.dtype.name} for spec in specs]})

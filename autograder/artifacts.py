"""What a child hands back, and how the measuring side loads it without trusting it.

A run directory holds ``result.json`` (status and message), and, by what the function returns,
``model.keras``, ``history.json`` or ``value.json``. File names are fixed here, never read from the
child, and everything is loaded with limits: JSON by size, models with ``safe_mode=True`` (no Lambda
code, no unknown classes) and ``compile=False`` (no custom loss code).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

RESULT = "result.json"
MODEL = "model.keras"
HISTORY = "history.json"
VALUE = "value.json"

MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_MODEL_PARAMS = 20_000_000  # course models hold thousands; handing back more only fills the disk
MAX_HISTORY_EPOCHS = 10_000


class WrongReturn(Exception):
    """The student's function returned something of the wrong kind."""


# ----------------------------------------------------------------------------- child side (untrusted)


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
    elif returns == "dataset":  # exercise 19: see save_dataset below
        save_dataset(value, out, function)
    else:  # pragma: no cover - guarded by Exercise validation
        raise ValueError(returns)


def _refuse_huge(model: Any, function: str) -> None:
    try:
        params = model.count_params()
    except ValueError:  # not built yet: the measuring side builds it, and refuses it there if need be
        return
    if params > MAX_MODEL_PARAMS:
        raise WrongReturn(f"{function}() returned a model with {params:,} parameters, more than the "
                          f"{MAX_MODEL_PARAMS:,} the grader accepts")


def to_plain(value: Any, function: str) -> Any:
    """Numbers, strings, lists and dicts as JSON; NumPy arrays and scalars converted."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return to_plain(value.tolist(), function)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [to_plain(v, function) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v, function) for k, v in value.items()}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    raise WrongReturn(f"{function}() returned {_kind(value)}, which is not a number, list or dict")


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    cls = type(value)
    return f"a {cls.__module__.split('.')[0]}.{cls.__qualname__}" if cls.__module__ != "builtins" else f"a {cls.__name__}"


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, allow_nan=True))
    tmp.replace(path)


# ----------------------------------------------------------------------------- loading side (trusted)


class BadArtifact(Exception):
    """A file handed back by a child is missing, too large, or not what it should be."""


def read_json(path: Path) -> Any:
    if not path.is_file():
        raise BadArtifact(f"{path.name} is missing")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise BadArtifact(f"{path.name} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadArtifact(f"{path.name} is not valid JSON: {exc}") from None


def read_result(run_dir: Path) -> dict[str, Any]:
    """The child's own account of the run; only ``status`` and ``message`` strings are kept."""
    data = read_json(run_dir / RESULT)
    if not isinstance(data, dict) or data.get("status") not in ("ok", "error"):
        raise BadArtifact(f"{RESULT} has no valid status")
    return {"status": data["status"], "kind": str(data.get("kind", ""))[:40],
            "message": str(data.get("message", ""))[:4000]}


def load_model(run_dir: Path) -> Any:
    import keras

    path = run_dir / MODEL
    if not path.is_file():
        raise BadArtifact("no model was handed back")
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # noqa: BLE001 - any refusal becomes the exercise's message
        raise BadArtifact(f"the model could not be loaded safely: {_first_line(exc)}") from None


def load_compile_config(run_dir: Path) -> dict[str, Any] | None:
    """The optimizer and loss the student compiled with, read as data from the .keras archive."""
    import zipfile

    try:
        with zipfile.ZipFile(run_dir / MODEL) as archive:
            config = json.loads(archive.read("config.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    compile_config = config.get("compile_config") if isinstance(config, dict) else None
    return compile_config if isinstance(compile_config, dict) else None


def load_history(run_dir: Path) -> dict[str, list[float]]:
    data = read_json(run_dir / HISTORY)
    history = data.get("history") if isinstance(data, dict) else None
    if not isinstance(history, dict):
        raise BadArtifact("history.json holds no history")
    clean: dict[str, list[float]] = {}
    for key, values in list(history.items())[:50]:
        if isinstance(values, list) and all(isinstance(v, (int, float)) for v in values):
            clean[str(key)[:100]] = [float(v) for v in values[:MAX_HISTORY_EPOCHS]]
    return clean


def load_value(run_dir: Path) -> Any:
    data = read_json(run_dir / VALUE)
    if not isinstance(data, dict) or "value" not in data:
        raise BadArtifact("value.json holds no value")
    return data["value"]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__


# ------------------------------------------------------------------ exercise 19 (tf.data pipelines)
#
# A tf.data.Dataset cannot be saved as a file a trusted process could load without running its code, so
# the child iterates it for DATASET_EPOCHS epochs and hands back what it yielded: every element's arrays,
# flattened into one .npz member per epoch and component, and their shapes and the element spec as JSON.

DATASET = "dataset.json"
DATASET_ARRAYS = "dataset.npz"
DATASET_EPOCHS = 2
MAX_DATASET_ELEMENTS = 10_000  # per epoch: more means an endless dataset (repeat()) or a missing batch()
MAX_DATASET_COMPONENTS = 8
MAX_DATASET_BYTES = 64 * 1024 * 1024


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


def load_dataset(run_dir: Path) -> dict[str, Any]:
    """What a dataset yielded: ``{"structure", "spec", "epochs"}``, where ``epochs[e][i][c]`` is component
    ``c`` of element ``i`` in epoch ``e``. Arrays load with ``allow_pickle=False``, after their sizes are
    checked in the archive's directory (so a crafted archive cannot expand beyond the limit)."""
    import zipfile

    import numpy as np

    meta = read_json(run_dir / DATASET)
    path = run_dir / DATASET_ARRAYS
    if not isinstance(meta, dict) or not path.is_file() or path.is_symlink():
        raise BadArtifact("the dataset's elements were not handed back")
    spec, shapes = meta.get("spec"), meta.get("shapes")
    if not isinstance(spec, list) or not 0 < len(spec) <= MAX_DATASET_COMPONENTS or not isinstance(shapes, list) \
            or len(shapes) != DATASET_EPOCHS:
        raise BadArtifact(f"{DATASET} does not describe {DATASET_EPOCHS} epochs of a dataset")
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DATASET_BYTES + 1024 * 1024:
                raise BadArtifact(f"{DATASET_ARRAYS} is larger than {MAX_DATASET_BYTES // (1024 * 1024)} MB")
        with np.load(path, allow_pickle=False) as stored:
            flat = {name: stored[name] for name in stored.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise BadArtifact(f"{DATASET_ARRAYS} could not be read: {_first_line(exc)}") from None
    epochs = []
    for epoch, epoch_shapes in enumerate(shapes):
        columns = []
        for index in range(len(spec)):
            array = flat.get(f"epoch{epoch}_{index}")
            if array is None or array.ndim != 1 or array.dtype.kind not in "biuf":
                raise BadArtifact(f"{DATASET_ARRAYS} lacks numeric arrays for epoch {epoch + 1}")
            columns.append(array)
        epochs.append(_split_elements(columns, epoch_shapes, epoch))
    return {"structure": str(meta.get("structure", ""))[:200], "spec": spec, "epochs": epochs}


def _split_elements(columns: list[Any], element_shapes: Any, epoch: int) -> list[list[Any]]:
    """Cut each component's flat array back into the elements' arrays, checking every size."""
    import numpy as np

    if not isinstance(element_shapes, list) or len(element_shapes) > MAX_DATASET_ELEMENTS:
        raise BadArtifact(f"{DATASET} has no valid element shapes for epoch {epoch + 1}")
    offsets = [0] * len(columns)
    elements = []
    for shapes in element_shapes:
        if not isinstance(shapes, list) or len(shapes) != len(columns):
            raise BadArtifact(f"{DATASET} has no valid element shapes for epoch {epoch + 1}")
        element = []
        for index, shape in enumerate(shapes):
            if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
                raise BadArtifact(f"{DATASET} has no valid element shapes for epoch {epoch + 1}")
            size = int(np.prod(shape, dtype=np.int64))
            if offsets[index] + size > len(columns[index]):
                raise BadArtifact(f"{DATASET_ARRAYS} holds fewer values than its shapes say")
            element.append(columns[index][offsets[index]:offsets[index] + size].reshape(shape))
            offsets[index] += size
        elements.append(element)
    return elements


# ------------------------------------------------------------------ exercise 20 (ModelCheckpoint)

MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024


def load_model_file(run_dir: Path, name: str) -> Any:
    """A model the student's code saved itself (a checkpoint), under a plain ``.keras`` file name that the
    exercise specification fixes, never one read from the child; loaded like ``load_model``."""
    import keras

    if Path(name).name != name or not name.endswith(".keras"):
        raise ValueError(f"checkpoint names are plain .keras file names, not {name!r}")
    path = run_dir / name
    if path.is_symlink() or not path.is_file():
        raise BadArtifact(f"no checkpoint {name} was saved in the working directory")
    if path.stat().st_size > MAX_MODEL_FILE_BYTES:
        raise BadArtifact(f"the checkpoint {name} is larger than {MAX_MODEL_FILE_BYTES // (1024 * 1024)} MB")
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # noqa: BLE001 - any refusal becomes the exercise's message
        raise BadArtifact(f"the checkpoint {name} could not be loaded safely: {_first_line(exc)}") from None

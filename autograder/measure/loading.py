"""Measuring child side: load what a run child handed back, without trusting it.

Every file is looked up under a name fixed by the kit, never one read from the child, and loaded with
limits: JSON by size, arrays without pickle, models with ``safe_mode=True`` (no Lambda code, no unknown
classes) and ``compile=False`` (no custom loss code).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.errors import BadArtifact
from autograder.sandbox.artifacts import (
    DATASET,
    DATASET_ARRAYS,
    DATASET_EPOCHS,
    HISTORY,
    MAX_DATASET_BYTES,
    MAX_DATASET_COMPONENTS,
    MAX_DATASET_ELEMENTS,
    MODEL,
    VALUE,
    read_json,
)

MAX_HISTORY_EPOCHS = 10_000


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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__

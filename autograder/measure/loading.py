"""Measuring child side: load what a run child handed back, without trusting it.

Every file is looked up under a name fixed by the kit, never one read from the child, and loaded with
limits: JSON by size, arrays without pickle, models with ``safe_mode=True`` (no Lambda code, no unknown
classes) and ``compile=False`` (no custom loss code). Every file is read through
``artifacts.read_untrusted`` (no link followed, no pipe opened, regular files within a size limit
only); Keras, which needs a path, loads a private copy made through ``artifacts.copy_untrusted``.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

from autograder.errors import ArtifactMissing, ArtifactTooLarge, BadArtifact
from autograder.sandbox import scratch
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
    copy_untrusted,
    read_json,
    read_untrusted,
)

MAX_HISTORY_EPOCHS = 10_000
# The run child cannot write a larger file (``sandbox.Limits.file_bytes``); the limit only bounds a read.
MAX_MODEL_BYTES = 256 * 1024 * 1024
# np.savez stores the arrays uncompressed: the archive is their bytes plus small headers.
MAX_DATASET_ARCHIVE_BYTES = MAX_DATASET_BYTES + 4 * 1024 * 1024


def load_model(run_dir: Path) -> Any:
    try:
        return _load_keras_file(run_dir / MODEL, MAX_MODEL_BYTES, "the model")
    except ArtifactMissing:
        raise BadArtifact("no model was handed back") from None


def _load_keras_file(path: Path, limit: int, what: str) -> Any:
    """Load a private copy of the ``.keras`` file at ``path``, in a folder only this process writes:
    Keras opens a path, and the one the child left may be anything (see ``artifacts.open_untrusted``)."""
    import keras

    private = Path(scratch.mkdtemp(prefix="tfgrade-model-"))
    try:
        copy = private / path.name
        copy_untrusted(path, copy, limit)
        try:
            return keras.saving.load_model(copy, safe_mode=True, compile=False)
        except Exception as exc:  # noqa: BLE001 - any refusal becomes the exercise's message
            raise BadArtifact(f"{what} could not be loaded safely: {_first_line(exc)}") from None
    finally:
        shutil.rmtree(private, ignore_errors=True)


def load_compile_config(run_dir: Path) -> dict[str, Any] | None:
    """The optimizer and loss the student compiled with, read as data from the .keras archive; None when
    there is no archive or it holds no compile config. A file that is no archive is refused
    (``BadArtifact``), as ``load_model`` refuses it."""
    import zipfile

    try:
        data = read_untrusted(run_dir / MODEL, MAX_MODEL_BYTES)
    except ArtifactMissing:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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


def load_callback(run_dir: Path) -> dict[str, Any]:
    """A handed-back callback as ``{"class_name", "settings"}``: a short class name and plain settings,
    nothing else (the grader rebuilds only Keras' own callbacks from it, see ``probes.training``)."""
    data = read_json(run_dir / CALLBACK)
    name = data.get("class_name") if isinstance(data, dict) else None
    settings = data.get("settings") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.isidentifier() or not isinstance(settings, dict):
        raise BadArtifact("callback.json holds no callback")
    plain = {str(k)[:100]: v for k, v in list(settings.items())[:50]
             if isinstance(v, (bool, int, float, str)) or v is None}
    return {"class_name": name[:100], "settings": {k: v[:200] if isinstance(v, str) else v for k, v in plain.items()}}


def load_dataset(run_dir: Path) -> dict[str, Any]:
    """What a dataset yielded: ``{"structure", "spec", "epochs"}``, where ``epochs[e][i][c]`` is component
    ``c`` of element ``i`` in epoch ``e``. Arrays load with ``allow_pickle=False``, after their sizes are
    checked in the archive's directory (so a crafted archive cannot expand beyond the limit)."""
    import zipfile

    import numpy as np

    meta = read_json(run_dir / DATASET)
    if not isinstance(meta, dict):
        raise BadArtifact("the dataset's elements were not handed back")
    try:
        stored_bytes = read_untrusted(run_dir / DATASET_ARRAYS, MAX_DATASET_ARCHIVE_BYTES)
    except ArtifactMissing:
        raise BadArtifact("the dataset's elements were not handed back") from None
    except ArtifactTooLarge:
        raise BadArtifact(f"{DATASET_ARRAYS} is larger than {MAX_DATASET_BYTES // (1024 * 1024)} MB") from None
    spec, shapes = meta.get("spec"), meta.get("shapes")
    if not isinstance(spec, list) or not 0 < len(spec) <= MAX_DATASET_COMPONENTS or not isinstance(shapes, list) \
            or len(shapes) != DATASET_EPOCHS:
        raise BadArtifact(f"{DATASET} does not describe {DATASET_EPOCHS} epochs of a dataset")
    try:
        with zipfile.ZipFile(io.BytesIO(stored_bytes)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DATASET_BYTES + 1024 * 1024:
                raise BadArtifact(f"{DATASET_ARRAYS} is larger than {MAX_DATASET_BYTES // (1024 * 1024)} MB")
        with np.load(io.BytesIO(stored_bytes), allow_pickle=False) as stored:
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
    if Path(name).name != name or not name.endswith(".keras"):
        raise ValueError(f"checkpoint names are plain .keras file names, not {name!r}")
    try:
        return _load_keras_file(run_dir / name, MAX_MODEL_FILE_BYTES, f"the checkpoint {name}")
    except ArtifactMissing:
        raise BadArtifact(f"no checkpoint {name} was saved in the working directory") from None
    except ArtifactTooLarge:
        raise BadArtifact(f"the checkpoint {name} is larger than {MAX_MODEL_FILE_BYTES // (1024 * 1024)} MB") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__

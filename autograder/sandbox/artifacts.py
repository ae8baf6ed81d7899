"""The files a child hands back: their fixed names and bounded JSON reading and writing.

A run directory holds ``result.json`` (status and message), and, by what the function returns,
``model.keras``, ``history.json``, ``value.json`` or a dataset's two files; a measuring child writes
``observations.json``. File names are fixed here, never read from the child, and JSON is read with a
size limit. Saving what a function returned is the run child's work (``children.handback``), loading
it the measuring child's (``measure.loading``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from autograder.errors import BadArtifact

RESULT = "result.json"
MODEL = "model.keras"
HISTORY = "history.json"
VALUE = "value.json"
# A tf.data.Dataset cannot be saved as a file a trusted process could load without running its code, so
# the run child hands back what it yielded: arrays in an .npz, their shapes and element spec as JSON.
DATASET = "dataset.json"
DATASET_ARRAYS = "dataset.npz"
OBSERVATIONS = "observations.json"  # what a measuring child writes
DATASET_EPOCHS = 2
MAX_DATASET_ELEMENTS = 10_000  # per epoch: more means an endless dataset (repeat()) or a missing batch()
MAX_DATASET_COMPONENTS = 8
MAX_DATASET_BYTES = 64 * 1024 * 1024

MAX_JSON_BYTES = 8 * 1024 * 1024


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, allow_nan=True))
    tmp.replace(path)


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

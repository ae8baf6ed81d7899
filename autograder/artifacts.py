"""What a child hands back, and how the measuring side loads it without trusting it.

A run directory holds ``result.json`` (status and message), and, by what the function returns,
``model.keras``, ``history.json`` or ``value.json``. File names are fixed here, never read from the
child, and everything is loaded with limits: JSON by size, models with ``safe_mode=True`` (no Lambda
code, no unknown classes) and ``compile=False`` (no custom loss code).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

RESULT = "result.json"
MODEL = "model.keras"
HISTORY = "history.json"
VALUE = "value.json"

MAX_JSON_BYTES = 8 * 1024 * 1024
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
        value.save(out / MODEL)
    elif returns == "history":
        if not isinstance(value, keras.callbacks.History) or getattr(value, "model", None) is None:
            raise WrongReturn(f"{function}() returned {_kind(value)}; expected the History object "
                              "that model.fit(...) returns")
        write_json(out / HISTORY, {"history": {k: [float(x) for x in v] for k, v in value.history.items()},
                                   "params": {k: v for k, v in (value.params or {}).items()
                                              if isinstance(v, (int, float, str)) or v is None}})
        value.model.save(out / MODEL)
    elif returns == "value":
        write_json(out / VALUE, {"value": to_plain(value, function)})
    else:  # pragma: no cover - guarded by Exercise validation
        raise ValueError(returns)


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


def finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__

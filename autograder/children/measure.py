"""Runs inside the trusted measuring child: load what a run handed back and measure it.

No student code runs in this process; models are loaded with ``safe_mode=True``. Each measurement
is independent, so one that fails (an untrainable model, say) becomes an ``{"error": ...}`` entry and
the others are still taken. Each case also records how long it took to measure, loading included, under
``SECONDS`` (the grading process adds its share of this child's start: ``runs.MEASURE_SECONDS``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from autograder.course import datasets
from autograder.errors import BadArtifact
from autograder.measure.observations import Context
from autograder.sandbox import artifacts

SECONDS = "_measure_seconds"  # the same key as runs.MEASURE_SECONDS, which this child does not import


def measure_runs(*, runs: dict[str, dict[str, Any]], data_key: str | None = None) -> None:
    """Measure each case's run and write ``observations.json`` in the cwd. ``runs`` maps a case's name
    to its ``run_dir``, the ``observations`` to take (by key), the case's ``input_shape`` and ``seed``,
    and the ``reference``'s values, which a measurement may reuse when it would provably be identical.
    ``data_key`` is the grading process' data key (``datasets.keyed``), so that the splits loaded here
    are the ones the run child was handed. The grading process chooses all of these: this process knows
    no exercise and no other case."""
    with datasets.keyed(data_key):
        _measure_runs(runs)


def _measure_runs(runs: dict[str, dict[str, Any]]) -> None:
    measured: dict[str, dict[str, object]] = {}
    for case_name, run in runs.items():
        started = time.monotonic()
        known = {key: entry["value"] for key, entry in (run.get("reference") or {}).items()
                 if isinstance(entry, dict) and "value" in entry}
        context = Context(Path(run["run_dir"]), run["input_shape"], run["seed"], known)
        results: dict[str, object] = {}
        for key, observation in run["observations"].items():
            try:
                results[key] = {"value": observation.measure(context)}
            except BadArtifact as exc:
                results[key] = {"error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - a failed measurement is that check's message
                results[key] = {"error": f"{type(exc).__name__}: {_first_line(exc)}"}
        results[SECONDS] = {"value": round(time.monotonic() - started, 3)}
        measured[case_name] = results
    artifacts.write_json(Path.cwd() / artifacts.OBSERVATIONS, measured)


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0][:400] if lines else ""

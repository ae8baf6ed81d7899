"""Runs inside the trusted measuring child: load what a run handed back and measure it.

No student code runs in this process; models are loaded with ``safe_mode=True``. Each measurement
is independent, so one that fails (an untrainable model, say) becomes an ``{"error": ...}`` entry and
the others are still taken.
"""

from __future__ import annotations

from pathlib import Path

from autograder import exercises as registry
from autograder.errors import BadArtifact
from autograder.measure.observations import Context
from autograder.sandbox import artifacts

OBSERVATIONS = "observations.json"


def measure_runs(*, exercise_id: str, runs: dict[str, str], seed: int | None = None,
                 reference: dict[str, dict[str, object]] | None = None) -> None:
    """``runs`` maps case name to its run directory; writes ``observations.json`` in the cwd.

    ``seed`` replaces the cases' and recipes' seeds (calibration only); results stay under their
    usual keys so that calibration reads them like a grading run. ``reference`` holds the reference's
    values per case and key, which a measurement may reuse when it would provably be identical."""
    exercise = registry.get(exercise_id)
    measured: dict[str, dict[str, object]] = {}
    for case_name, run_dir in runs.items():
        case = exercise.case(case_name)
        known = {key: entry["value"] for key, entry in ((reference or {}).get(case_name) or {}).items()
                 if isinstance(entry, dict) and "value" in entry}
        context = Context(Path(run_dir), case.input_shape, case.seed if seed is None else seed, known)
        results: dict[str, object] = {}
        for check in exercise.checks_for(case):
            key = check.observation.key
            observation = check.observation if seed is None else check.observation.reseeded(seed)
            if key in results:
                continue
            try:
                results[key] = {"value": observation.measure(context)}
            except BadArtifact as exc:
                results[key] = {"error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - a failed measurement is that check's message
                results[key] = {"error": f"{type(exc).__name__}: {_first_line(exc)}"}
        measured[case_name] = results
    artifacts.write_json(Path.cwd() / OBSERVATIONS, measured)


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0][:400] if lines else ""

"""Gradescope's ``results.json``: a test per check, hidden details withheld until grades are published."""

from __future__ import annotations

from typing import Any

from autograder import __version__
from autograder.results.model import GradingResult
from autograder.spec import PUBLIC


def to_gradescope_dict(result: GradingResult) -> dict[str, Any]:
    """Gradescope's results.json: a test per check, hidden details withheld."""
    tests = []
    for exercise in result.exercises:
        if exercise.status == "error" and not exercise.checks:
            tests.append({"name": f"{exercise.exercise} {exercise.title}", "score": 0.0, "max_score": 0.0,
                          "status": "failed", "output": exercise.message, "visibility": "visible"})
        for check in exercise.checks:
            tests.append({"name": f"{exercise.exercise} {check.case}: {check.title}",
                          "score": float(check.points), "max_score": float(check.possible),
                          "status": "passed" if check.passed else "failed",
                          "output": check.public_message(),
                          "visibility": "visible" if check.visibility == PUBLIC else "after_published"})
    output = f"tfgrade {__version__}: {result.score:g} / {result.possible:g}"
    output += "".join(f"\n{e.exercise} looks like: {e.misconception}" for e in result.exercises if e.misconception)
    return {"score": float(result.score), "output": output, "tests": tests}

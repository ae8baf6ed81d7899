"""What grading decided (``model``) and every format that consumes it: ``result.json`` and the
gradebook files (``files``), Gradescope (``gradescope``), ``feedback.html`` (``feedback``) and the
terminal (``terminal``)."""

from autograder.results.model import CheckResult, ExerciseResult, GradingResult, environment

__all__ = ["CheckResult", "ExerciseResult", "GradingResult", "environment"]

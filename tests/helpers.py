"""Helpers for tests: the course, solution texts, realistic wrong submissions, result queries."""

from __future__ import annotations

from autograder import exercises as registry
from autograder.course import Course
from autograder.results import ExerciseResult

COURSE = Course.locate()


def solution_text(exercise_id: str) -> str:
    return (COURSE.solutions / registry.get(exercise_id).filename).read_text()


def stub_text(exercise_id: str) -> str:
    return (COURSE.assignments / registry.get(exercise_id).filename).read_text()


def mutate(exercise_id: str, *edits: tuple[str, str]) -> str:
    """The reference solution with each ``(old, new)`` edit applied; every ``old`` must occur."""
    text = solution_text(exercise_id)
    for old, new in edits:
        assert old in text, f"edit target not in the solution of {exercise_id}: {old!r}"
        text = text.replace(old, new)
    return text


def failed_ids(result: ExerciseResult) -> set[str]:
    return {check.check_id for check in result.checks if not check.passed}


def message_of(result: ExerciseResult, check_id: str) -> str:
    return next(check.message for check in result.checks if check.check_id == check_id)


def load_script(path, name: str):
    """A script that is no package module (``benchmarks/grading.py``), imported as ``name``."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module

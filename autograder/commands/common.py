"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from typing import Any

from autograder import exercises as registry
from autograder.course import Course
from autograder.grading.reference import ComputedReference
from autograder.spec import Exercise


def select(names: list[str] | None) -> list[Exercise]:
    from autograder.errors import UsageError

    try:
        return registry.select(names)
    except LookupError as exc:
        raise UsageError(str(exc).strip("'\"")) from None


def instructor_reference(command: str) -> ComputedReference:
    """The reference computed from solutions/: only a course checkout has it."""
    from autograder.errors import UsageError

    course = Course.locate()
    if not course.has_solutions:
        raise UsageError(f"`tfgrade {command}` needs the course's solutions/ folder, which a student bundle "
                         f"does not have (looked in {course.root})")
    return ComputedReference(course)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")

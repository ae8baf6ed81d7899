"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from typing import Any

from autograder import exercises as registry
from autograder.course import Course, secret
from autograder.grading.reference import ComputedReference
from autograder.results import terminal
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


def data_key(course: Course, *, create: bool = False) -> str | None:
    """The data key an instructor's command grades with (``datasets.keyed``): from the course secret,
    made first with ``create`` when the course has none (and said so, on stderr). None without a secret:
    the public data. Never for ``check`` or ``release``, which must see what students see.

    Call it before the forkserver starts: ``TFGRADE_SECRET`` is then dropped from this process' environment
    (see ``secret.forget_environment``), as no process started afterwards may see it."""
    key, made = secret.data_key(course, create_missing=create)
    secret.forget_environment()
    if made is not None:
        terminal.note(secret.created_note(made))
    return key

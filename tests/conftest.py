"""Shared fixtures: the course's computed reference and grading of submissions written on the fly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder import sandbox
from autograder.grading.grade import grade_exercise
from autograder.grading.reference import ComputedReference
from autograder.results import ExerciseResult
from autograder.spec import ALL

# Warm graders that `tfgrade check` starts in tests leave soon after the tests do.
os.environ.setdefault("TFGRADE_DAEMON_IDLE", "60")


@pytest.fixture(scope="session")
def reference() -> ComputedReference:
    sandbox.warm_up()
    return ComputedReference(COURSE)


@pytest.fixture
def grade(tmp_path: Path, reference: ComputedReference):
    """grade(exercise_id, source_text, visibilities=ALL) -> ExerciseResult, via the real pipeline."""

    def run(exercise_id: str, source: str, visibilities=ALL) -> ExerciseResult:
        exercise = registry.get(exercise_id)
        folder = tmp_path / f"submission-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / exercise.filename).write_text(source)
        return grade_exercise(exercise, folder / exercise.filename, visibilities, reference)

    return run


# The files that take minutes each (a whole nbgrader course, the hostile batch, ...). xdist's loadfile
# hands files to its workers in collection order: starting the longest first keeps both busy to the end.
LONGEST_FIRST = ("test_nbgrader.py", "test_hostile.py", "test_batch.py", "test_daemon.py")


def pytest_collection_modifyitems(items):
    """Wrong submissions and valid variants flagged ``slow`` join the extended tier (``pytest -m slow``); the longest
    files run first."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if any(getattr(params.get(name), "slow", False) for name in ("wrong", "variant")):
            item.add_marker(pytest.mark.slow)
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order

"""``tfgrade check``: a student grades their own copy of assignments/ with the public checks."""

from __future__ import annotations

from pathlib import Path

from autograder import reference, report, sandbox
from autograder.commands.common import print_json, select
from autograder.course import Course
from autograder.grading import PUBLIC_ONLY, grade_submission


def main(*, exercises: list[str] | None = None, path: Path | None = None, json: bool = False) -> int:
    chosen = select(exercises)
    folder = _assignments_folder(path)
    sandbox.warm_up()
    ref = reference.for_course(Course.locate())
    on_exercise = None if json else report.print_exercise
    with report.working(f"checking {len(chosen)} exercise(s) in {folder}", enabled=not json):
        result = grade_submission(folder, chosen, PUBLIC_ONLY, ref, on_exercise=on_exercise)
    if json:
        print_json(result.to_dict())
    else:
        report.print_total(result)
    return 0 if result.score == result.possible else 1


def _assignments_folder(path: Path | None) -> Path:
    from autograder.commands import UsageError

    if path is None:
        path = Path("assignments") if Path("assignments").is_dir() else Path(".")
    if not path.is_dir():
        raise UsageError(f"{path} is not a folder")
    return path.resolve()

"""``tfgrade check``: a student grades their own copy of assignments/ with the public checks.

Checks go to a warm grader (``autograder.daemon``) that keeps TensorFlow loaded between runs; when
none can be reached or started, or with ``--no-daemon``, this process grades by itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from autograder import daemon, sandbox
from autograder.commands.common import print_json, select
from autograder.course import Course
from autograder.grading import reference
from autograder.grading.grade import grade_submission
from autograder.results import ExerciseResult, GradingResult, terminal
from autograder.spec import PUBLIC_ONLY, Exercise


def main(*, exercises: list[str] | None = None, path: Path | None = None, json: bool = False,
         no_daemon: bool = False) -> int:
    chosen = select(exercises)
    folder = _assignments_folder(path)
    printed: set[str] = set()

    def on_exercise(result: ExerciseResult) -> None:
        if not json and result.exercise not in printed:
            printed.add(result.exercise)
            terminal.print_exercise(result)

    use_daemon = not no_daemon and os.environ.get("TFGRADE_DAEMON", "1") != "0"
    with terminal.working(f"checking {len(chosen)} exercise(s) in {folder}", enabled=not json):
        result = _check(folder, chosen, on_exercise, use_daemon)
    if json:
        print_json(result.to_dict())
    else:
        terminal.print_total(result)
    return 0 if result.score == result.possible else 1


def _check(folder: Path, chosen: list[Exercise], on_exercise, use_daemon: bool) -> GradingResult:
    course = Course.locate()
    if use_daemon:
        try:
            return daemon.check(daemon.Address.for_course(course), folder, [e.id for e in chosen], on_exercise,
                                on_start=_starting)
        except daemon.DaemonUnavailable as exc:
            terminal.note(f"{exc}; checking without the warm grader")
    sandbox.warm_up()
    return grade_submission(folder, chosen, PUBLIC_ONLY, reference.for_course(course), on_exercise=on_exercise)


def _starting() -> None:
    if not sys.stderr.isatty():  # like the spinner: only for a person at a terminal
        return
    terminal.note("starting the warm grader: TensorFlow loads once, later checks skip it "
                "(`tfgrade daemon stop` ends it)")


def _assignments_folder(path: Path | None) -> Path:
    from autograder.errors import UsageError

    if path is None:
        path = Path("assignments") if Path("assignments").is_dir() else Path(".")
    if not path.is_dir():
        raise UsageError(f"{path} is not a folder")
    return path.resolve()

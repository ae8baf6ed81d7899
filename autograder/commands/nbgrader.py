"""``tfgrade nbgrader``: the course as an nbgrader course, and nbgrader's grades checked against the kit's.

``init COURSE_DIR`` writes ``nbgrader_config.py`` and ``source/<assignment>/`` with one notebook per
exercise, generated from the specs and solutions (see ``autograder.notebooks``); nbgrader's own
commands take it from there. nbgrader grades inside the student's kernel, which the student's own
cells can subvert, so the trusted grade is ``tfgrade grade`` on the submitted notebooks, and
``reconcile`` compares it with nbgrader's gradebook cell by cell (``--write`` makes it nbgrader's
score, as a manual score, which nbgrader documents as taking precedence over the autograded one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from autograder import exercises as registry
from autograder import sandbox
from autograder.commands.common import instructor_reference, select
from autograder.notebooks import build
from autograder.results import GradingResult, terminal
from autograder.spec import Exercise

CELL_TIMEOUT_SECONDS = 300

CONFIG = f'''\
"""nbgrader configuration for a tfgrade course, written by `tfgrade nbgrader init`."""

from autograder.sandbox import quiet
from autograder.notebooks.feedback import WithholdHiddenTests

c = get_config()  # noqa: F821 - nbgrader provides it

# TensorFlow and Keras write log lines to stderr, and nbgrader scores a test cell that wrote to
# stderr zero: every kernel nbgrader starts inherits this quiet environment.
quiet.set_quiet_environment()

# The first test cell of a notebook grades all of its code (a minute or two); a cell still running
# after this many seconds is stopped, scores zero and says why.
c.Execute.timeout = {CELL_TIMEOUT_SECONDS}
c.Execute.error_on_timeout = {{
    "ename": "Timeout",
    "evalue": "this cell ran for more than {CELL_TIMEOUT_SECONDS} seconds and was stopped",
    "traceback": ["Timeout: this cell ran for more than {CELL_TIMEOUT_SECONDS} seconds and was stopped. Does "
                  "your code run much longer than the examples need, or never finish?"],
}}

# A deleted test cell is put back before grading, so deleting a check never skips it.
c.OverwriteCells.add_missing_cells = True

# Feedback shows neither hidden tests nor the errors that would quote them.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    WithholdHiddenTests,
]
'''


def main(*, action: str, course: Path, assignment: str = "keras", exercises: list[str] | None = None,
         grades: Path | None = None, write: bool = False) -> int:
    if action == "init":
        return init(course, assignment, select(exercises))
    return reconcile(course, assignment, grades or Path("grades"), write)


# ----------------------------------------------------------------------------------------------- init

def init(course_dir: Path, assignment: str, exercises: list[Exercise]) -> int:
    from autograder.errors import UsageError

    if not assignment or assignment.startswith(".") or "/" in assignment or "\\" in assignment:
        raise UsageError(f"not a usable assignment name: {assignment!r}")
    ref = instructor_reference("nbgrader init")
    sandbox.warm_up()
    for exercise in exercises:  # measured now, so that no test cell waits for the reference
        with terminal.working(f"measuring the reference of {exercise.id} {exercise.slug}"):
            ref.observations(exercise, exercise.cases)
    source = course_dir / "source" / assignment
    source.mkdir(parents=True, exist_ok=True)
    for exercise in exercises:
        text = build.notebook_text(exercise, (ref.course.solutions / exercise.filename).read_text())
        (source / f"{exercise.module_name}.ipynb").write_text(text)
    config = course_dir / "nbgrader_config.py"
    if config.exists() and config.read_text() != CONFIG:
        terminal.say(f"kept your {config} (delete it and rerun to get tfgrade's)")
    else:
        config.write_text(CONFIG)
    terminal.say(f"wrote {len(exercises)} notebook(s) to {source}\n"
               f"next, from {course_dir}: nbgrader generate_assignment {assignment}; "
               f"nbgrader autograde {assignment}; nbgrader generate_feedback {assignment}")
    return 0


# ------------------------------------------------------------------------------------------ reconcile

@dataclass
class Mismatch:
    student: str
    notebook: str
    nbgrader_score: float | None
    trusted_score: float | None
    cells: list[str]  # "grade_id: nbgrader -> trusted"
    why: str = ""  # when there is nothing to compare
    written: bool = False  # --write made the gradebook agree


def reconcile(course_dir: Path, assignment: str, grades: Path, write: bool) -> int:
    from autograder.errors import UsageError

    if not (course_dir / "gradebook.db").is_file():
        raise UsageError(f"{course_dir} has no gradebook.db: run nbgrader autograde there first")
    if not grades.is_dir():
        raise UsageError(f"{grades} is not a folder of tfgrade results (tfgrade grade ... --out {grades})")
    with _gradebook(course_dir) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except Exception:  # nbgrader's MissingEntry
            raise UsageError(f"the gradebook has no assignment {assignment!r}") from None
        mismatches = _compare(gradebook, assignment, grades, write)
    _print_mismatches(mismatches, assignment)
    return 1 if any(not m.written for m in mismatches) else 0


def _gradebook(course_dir: Path) -> Any:
    """nbgrader's gradebook as the course's own configuration locates it."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import Config, PyFileConfigLoader

    config = Config()
    if (course_dir / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    coursedir = CourseDirectory(config=config, root=str(course_dir.resolve()))
    return Gradebook(coursedir.db_url, coursedir.course_id)


def _compare(gradebook: Any, assignment: str, grades: Path, write: bool) -> list[Mismatch]:
    mismatches = []
    seen = set()
    for submission in sorted(gradebook.assignment_submissions(assignment), key=lambda s: s.student_id):
        student = submission.student_id
        seen.add(student)
        trusted = _trusted(grades / student)
        for notebook in sorted(submission.notebooks, key=lambda n: n.name):
            exercise = next((e for e in registry.all_exercises() if e.module_name == notebook.name), None)
            if exercise is None:
                continue
            mismatch = _compare_notebook(gradebook, notebook, exercise, trusted, write)
            if mismatch:
                mismatches.append(Mismatch(student, notebook.name, *mismatch))
    for folder in sorted(p for p in grades.iterdir() if (p / "result.json").is_file() and p.name not in seen):
        mismatches.append(Mismatch(folder.name, "-", None, None, [], "graded by tfgrade, not in nbgrader's gradebook"))
    if write:
        gradebook.db.commit()
    return mismatches


def _trusted(folder: Path) -> GradingResult | None:
    try:
        return GradingResult.from_dict(json.loads((folder / "result.json").read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _compare_notebook(gradebook: Any, notebook: Any, exercise: Exercise, trusted: GradingResult | None,
                      write: bool) -> tuple[float | None, float | None, list[str], str, bool] | None:
    by_cell = {grade.name: grade for grade in notebook.grades}
    nbgrader_score = sum(grade.score for grade in notebook.grades)
    result = next((e for e in trusted.exercises if e.exercise == exercise.id), None) if trusted else None
    if result is None:
        return nbgrader_score, None, [], "no tfgrade result for this student and exercise", False
    points = {check.check_id: check.points for check in result.checks}
    differing, written = [], True
    for graded in build.graded_checks(exercise):
        grade = by_cell.get(graded.grade_id)
        expected = points.get(graded.check_id, 0.0)
        if grade is None or abs((grade.score or 0.0) - expected) > 1e-6:
            differing.append(f"{graded.grade_id} {(grade.score if grade else 0):g} -> {expected:g}")
            written = written and write and grade is not None
            if write and grade is not None:
                grade.manual_score = expected
                grade.needs_manual_grade = False
    return (nbgrader_score, result.score, differing, "", written) if differing else None


def _print_mismatches(mismatches: list[Mismatch], assignment: str) -> None:
    if not mismatches:
        terminal.say(f"nbgrader's gradebook agrees with tfgrade on every check of {assignment}", style="green")
        return
    table = Table(title=f"{assignment}: nbgrader's gradebook against tfgrade's trusted grade", header_style="bold")
    for column in ("student", "notebook", "nbgrader", "tfgrade", "cells that differ (nbgrader -> tfgrade)"):
        table.add_column(column, justify="right" if column in ("nbgrader", "tfgrade") else "left")
    for m in mismatches:
        cells = f"{len(m.cells)}: " + ", ".join(m.cells[:3]) + (", ..." if len(m.cells) > 3 else "")
        table.add_row(escape(m.student), escape(m.notebook), _score(m.nbgrader_score), _score(m.trusted_score),
                      escape(m.why or cells))
    terminal.console.print(table)
    written = sum(m.written for m in mismatches)
    writable = sum(bool(m.cells) and not m.written for m in mismatches)
    notes = [f"{len(mismatches)} mismatch(es)"]
    if written:
        notes.append(f"wrote tfgrade's scores into the gradebook for {written} (as manual scores)")
    if writable:
        notes.append(f"rerun with --write to make tfgrade's scores the gradebook's for {writable}")
    terminal.say("; ".join(notes), style="red")


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"

"""``tfgrade nbgrader``: the course as an nbgrader course, and nbgrader's grades checked against the kit's.

``init COURSE_DIR`` writes ``nbgrader_config.py`` and ``source/<assignment>/`` with one notebook per
exercise, generated from the specs and solutions (see ``autograder.notebooks``); nbgrader's own
commands take it from there. nbgrader grades inside the student's kernel, which the student's own
cells can subvert, so the trusted grade is ``tfgrade grade`` on the submitted notebooks, and
``reconcile`` compares it with nbgrader's gradebook cell by cell (``--write`` makes it nbgrader's
score, as a manual score, which nbgrader documents as taking precedence over the autograded one).
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from rich.table import Table

from autograder import sandbox, templates
from autograder.commands.common import instructor_reference, select
from autograder.notebooks import build, reconcile
from autograder.results import terminal
from autograder.spec import Exercise

CELL_TIMEOUT_SECONDS = 300



def main(*, action: str, course: Path, assignment: str = "keras", exercises: list[str] | None = None,
         grades: Path | None = None, write: bool = False) -> int:
    if action == "init":
        return init(course, assignment, select(exercises))
    return reconcile_grades(course, assignment, grades or Path("grades"), write)


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
    config, text = course_dir / "nbgrader_config.py", templates.render("nbgrader_config.py.j2",
                                                                        cell_timeout=CELL_TIMEOUT_SECONDS)
    if config.exists() and config.read_text() != text:
        terminal.say(f"kept your {config} (delete it and rerun to get tfgrade's)")
    else:
        config.write_text(text)
    terminal.say(f"wrote {len(exercises)} notebook(s) to {source}\n"
               f"next, from {course_dir}: nbgrader generate_assignment {assignment}; "
               f"nbgrader autograde {assignment}; nbgrader generate_feedback {assignment}")
    return 0


# ------------------------------------------------------------------------------------------ reconcile

def reconcile_grades(course_dir: Path, assignment: str, grades: Path, write: bool) -> int:
    from autograder.errors import UsageError

    if not (course_dir / "gradebook.db").is_file():
        raise UsageError(f"{course_dir} has no gradebook.db: run nbgrader autograde there first")
    if not grades.is_dir():
        raise UsageError(f"{grades} is not a folder of tfgrade results (tfgrade grade ... --out {grades})")
    with reconcile.open_gradebook(course_dir) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except Exception:  # nbgrader's MissingEntry
            raise UsageError(f"the gradebook has no assignment {assignment!r}") from None
        mismatches = reconcile.compare(gradebook, assignment, grades, write)
    _print_mismatches(mismatches, assignment)
    return 1 if any(not m.written for m in mismatches) else 0


def _print_mismatches(mismatches: list[reconcile.Mismatch], assignment: str) -> None:
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

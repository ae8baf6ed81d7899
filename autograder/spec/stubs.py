"""Generate student files from the single sources: the spec's task text and the reference solution.

Regions between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become ``# YOUR CODE HERE`` and
``raise NotImplementedError()``, exactly as nbgrader's ``generate_assignment`` does, so the same
solution files can feed the nbgrader notebooks. ``### BEGIN HIDDEN TESTS`` regions are removed
from anything a student receives.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from autograder.errors import MarkerError
from autograder.spec.exercise import PUBLIC, Exercise

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"



def replace_regions(source: str, begin: str, end: str, replacement: str | None) -> str:
    """Replace each begin/end region (marker lines included) by ``replacement`` at the begin marker's
    indentation, or drop it when ``replacement`` is None."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == begin:
            if inside:
                raise MarkerError(f"line {number}: {begin} inside another region")
            inside = True
            if replacement is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out.append(textwrap.indent(replacement, indent))
        elif marker == end:
            if not inside:
                raise MarkerError(f"line {number}: {end} without {begin}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{begin} is never closed")
    return "".join(out)


def strip_solutions(source: str) -> str:
    return replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, "# YOUR CODE HERE\nraise NotImplementedError()\n")


def strip_hidden(source: str) -> str:
    return replace_regions(source, BEGIN_HIDDEN, END_HIDDEN, None)


def header(exercise: Exercise) -> str:
    """The stub's module docstring: the task as the spec states it, and how to check it."""
    points = exercise.possible_points(frozenset({PUBLIC}))
    parts = [f"Exercise {exercise.number:02d} - {exercise.concept}: {exercise.title}", "",
             textwrap.dedent(exercise.task).strip()]
    if exercise.keras3_notes:
        parts += ["", "Keras 3 note:", textwrap.dedent(exercise.keras3_notes).strip()]
    parts += ["", f"Check your work: tfgrade check {exercise.number}   ({points:g} points in public checks; "
                  "your instructor's grading adds hidden cases)"]
    body = "\n".join(parts).replace('"""', "'''")
    return f'"""{body}\n"""\n\n'


def render_stub(exercise: Exercise, solution_source: str) -> str:
    return header(exercise) + strip_solutions(solution_source)


def expected_stubs(solutions: Path, exercises: list[Exercise]) -> dict[str, str]:
    """File name -> content of every stub ``assignments/`` should hold."""
    return {e.filename: render_stub(e, (solutions / e.filename).read_text()) for e in exercises}


def out_of_sync(assignments: Path, solutions: Path, exercises: list[Exercise]) -> list[str]:
    """Stub files that differ from what the generator makes (empty when in sync)."""
    return [name for name, text in expected_stubs(solutions, exercises).items()
            if not (assignments / name).is_file() or (assignments / name).read_text() != text]


def write_stubs(assignments: Path, solutions: Path, exercises: list[Exercise]) -> list[str]:
    assignments.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_stubs(solutions, exercises).items():
        if not (assignments / name).is_file() or (assignments / name).read_text() != text:
            (assignments / name).write_text(text)
            written.append(name)
    return written


def has_solution_code(text: str) -> bool:
    """True if ``text`` still carries a solution or hidden-test region: a marker alone on its line, as
    the generators read them (the kit's own code merely naming a marker does not count)."""
    markers = "|".join(re.escape(m) for m in (BEGIN_SOLUTION, BEGIN_HIDDEN))
    return bool(re.search(rf"^[ \t]*(?:{markers})[ \t]*$", text, flags=re.MULTILINE))

"""Jupyter notebooks for nbgrader, generated from the same sources as the ``.py`` exercises.

Per exercise, the spec's task text, the reference solution split into cells (those with
``### BEGIN SOLUTION`` regions become nbgrader solution cells, the rest read-only) and one autograded
test cell per check of every case, worth that check's points. A test cell is a thin call,
``check("ex02", "default.layer_types")``, into ``autograder.notebooks.kernel``; a hidden case's cell
sits wholly inside ``### BEGIN HIDDEN TESTS``, so nbgrader strips it from what students receive.
One cell per check makes nbgrader's score of a notebook the same sum as ``tfgrade grade``'s.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograder.grading.notebook_source import KERNEL_MODULE
from autograder.spec import HIDDEN, PUBLIC, Case, Check, Exercise
from autograder.spec.stubs import BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN

if TYPE_CHECKING:  # importing nbformat costs seconds (jsonschema's format checkers): generation only
    import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# ----------------------------------------------------------------------------------------- generation

@dataclass(frozen=True)
class GradedCheck:
    """One autograded cell: the check of one case. Hidden cases get neutral ids, since students see
    the cell metadata of the notebooks they receive."""

    grade_id: str
    case: Case
    check: Check

    @property
    def check_id(self) -> str:
        return f"{self.case.name}.{self.check.id}"


def graded_checks(exercise: Exercise) -> list[GradedCheck]:
    graded, hidden = [], 0
    for case in exercise.cases:
        for check in exercise.checks_for(case):
            if case.hidden:
                hidden += 1
                grade_id = f"{exercise.id}-hidden-{hidden}"
            else:
                grade_id = f"{exercise.id}-{case.name}-{check.id}"
            graded.append(GradedCheck(re.sub(r"[^a-zA-Z0-9_-]", "_", grade_id), case, check))
    return graded


def build_notebook(exercise: Exercise, solution_source: str) -> nbformat.NotebookNode:
    """The instructor's source notebook for nbgrader (``source/<assignment>/<exercise>.ipynb``)."""
    import nbformat

    cells = [_task_cell(exercise), _setup_cell(exercise)]
    cells += [_code_cell(exercise, name, text) for name, text in split_solution(solution_source)]
    # A plain cell on purpose: nbgrader re-adds a deleted test cell after the graded cell before it.
    cells.append(_markdown(f"{exercise.id}-checks", _CHECKS_INTRO))
    cells += [_test_cell(exercise, graded) for graded in graded_checks(exercise)]
    return nbformat.v4.new_notebook(cells=[nbformat.from_dict(cell) for cell in cells],
                                    metadata={"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})


def notebook_text(exercise: Exercise, solution_source: str) -> str:
    import nbformat

    return nbformat.writes(build_notebook(exercise, solution_source))


def split_solution(source: str) -> list[tuple[str, str]]:
    """``(name, text)`` chunks of a solution file: what precedes the first top-level definition
    ("preamble"), then each definition with its decorators and the comments right above it."""
    lines = source.splitlines()
    starts = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            while start > 0 and lines[start - 1].lstrip().startswith("#"):
                start -= 1
            starts.append((node.name, start))
    bounds = [("preamble", 0)] + starts + [("", len(lines))]
    chunks = []
    for (name, start), (_, end) in zip(bounds, bounds[1:]):
        text = "\n".join(lines[start:end]).strip("\n")
        if text.strip():
            chunks.append((name, text))
    return chunks


_CHECKS_INTRO = """\
## Checks

Each cell below runs one check through the course's autograder and is worth that check's points.
Run every cell from the top (*Kernel > Restart & Run All*): the first check grades your code, which
takes a minute, and the others reuse its result. Grading adds hidden checks: other inputs, the same
rules. Write code that follows the task rather than the example values."""


def _markdown(cell_id: str, source: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": metadata or {}, "source": source}


def _code(cell_id: str, source: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {"cell_type": "code", "id": cell_id, "metadata": metadata, "source": source, "execution_count": None,
            "outputs": []}


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
              points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked,
                            "grade_id": grade_id}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _task_cell(exercise: Exercise) -> dict[str, Any]:
    public = exercise.possible_points(frozenset({PUBLIC}))
    hidden = exercise.possible_points(frozenset({HIDDEN}))
    parts = [f"# Exercise {exercise.number:02d} - {exercise.concept}: {exercise.title}",
             textwrap.dedent(exercise.task).strip()]
    if exercise.keras3_notes:
        parts.append("**Keras 3 note.** " + textwrap.dedent(exercise.keras3_notes).strip())
    parts.append(f"Replace every `raise NotImplementedError()` with your code. The checks at the end are worth "
                 f"{public:g} points; grading adds {hidden:g} points of hidden checks.")
    grade_id = f"{exercise.id}-task"
    return _markdown(grade_id, "\n\n".join(parts), _nbgrader(grade_id, locked=True))


def _setup_cell(exercise: Exercise) -> dict[str, Any]:
    source = ("# Keeps TensorFlow's log lines out of the notebook: they go to stderr, which nbgrader\n"
              "# counts as a failed check. Run this cell first.\n"
              f"from {KERNEL_MODULE} import quiet_kernel\n"
              "quiet_kernel()")
    grade_id = f"{exercise.id}-setup"
    return _code(grade_id, source, _nbgrader(grade_id, locked=True))


def _code_cell(exercise: Exercise, name: str, text: str) -> dict[str, Any]:
    grade_id = re.sub(r"[^a-zA-Z0-9_-]", "_", f"{exercise.id}-{name}")
    solution = any(line.strip() == BEGIN_SOLUTION for line in text.splitlines())
    metadata = _nbgrader(grade_id, solution=True) if solution else _nbgrader(grade_id, locked=True)
    return _code(grade_id, text, metadata)


def _test_cell(exercise: Exercise, graded: GradedCheck) -> dict[str, Any]:
    points = graded.check.points
    label = f"{points:g} point{'s' if points != 1 else ''}"
    call = f'from {KERNEL_MODULE} import check\ncheck("{exercise.id}", "{graded.check_id}")'
    if graded.case.hidden:
        source = f"# A hidden check: {graded.check.title} ({label}). It runs when your work is graded.\n" \
                 f"{BEGIN_HIDDEN}\n{call}\n{END_HIDDEN}"
    else:
        described = graded.case.call_str(exercise.function_of(graded.case).name)
        source = f"# {graded.check.title} of {described} ({label})\n{call}"
    return _code(graded.grade_id, source, _nbgrader(graded.grade_id, grade=True, locked=True, points=points))

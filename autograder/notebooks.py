"""Jupyter notebooks for nbgrader, generated from the same sources as the ``.py`` exercises, and
submitted notebooks turned back into the ``.py`` file the grader runs.

Generation: per exercise, the spec's task text, the reference solution split into cells (those with
``### BEGIN SOLUTION`` regions become nbgrader solution cells, the rest read-only) and one autograded
test cell per check of every case, worth that check's points. A test cell is a thin call,
``check("ex02", "default.layer_types")``, into ``autograder.notebook_checks``; a hidden case's cell
sits wholly inside ``### BEGIN HIDDEN TESTS``, so nbgrader strips it from what students receive.
One cell per check makes nbgrader's score of a notebook the same sum as ``tfgrade grade``'s.

Conversion: a notebook's code cells, minus its test cells, become a module that runs each cell in
order as Jupyter does (an error stops only its own cell; IPython magics and shell lines are left
out). The cells are copied verbatim and executed at their own line numbers, so tracebacks quote the
student's lines. Parsing happens here, in the trusted process; nothing of the notebook is executed
outside the sandbox. Pure: no TensorFlow.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from autograder.checks import Check
from autograder.exercise import HIDDEN, PUBLIC, Case, Exercise
from autograder.stubs import BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN

if TYPE_CHECKING:  # importing nbformat costs seconds (jsonschema's format checkers): generation only
    import nbformat

NOTEBOOK_FILE = re.compile(r"ex\d\d_[a-z0-9_]+\.ipynb")
CHECKS_MODULE = "autograder.notebook_checks"  # a cell naming it is the kit's, never the student's work
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
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
              f"from {CHECKS_MODULE} import quiet_kernel\n"
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
    call = f'from {CHECKS_MODULE} import check\ncheck("{exercise.id}", "{graded.check_id}")'
    if graded.case.hidden:
        source = f"# A hidden check: {graded.check.title} ({label}). It runs when your work is graded.\n" \
                 f"{BEGIN_HIDDEN}\n{call}\n{END_HIDDEN}"
    else:
        described = graded.case.call_str(exercise.function_of(graded.case).name)
        source = f"# {graded.check.title} of {described} ({label})\n{call}"
    return _code(graded.grade_id, source, _nbgrader(graded.grade_id, grade=True, locked=True, points=points))


# ----------------------------------------------------------------------------------------- conversion

class NotANotebook(ValueError):
    """A file that cannot be read as a Jupyter notebook."""


def exercise_source(path: Path) -> str:
    """The module the grader runs for the notebook at ``path``. A notebook that cannot be read
    becomes a module that fails on import with the reason, so that only its exercise scores zero."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise NotANotebook(f"it is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
        cells = student_cells(json.loads(path.read_bytes().decode("utf-8")))
    except UnicodeDecodeError:
        return _unreadable(path.name, "it is not UTF-8 text")
    except (ValueError, RecursionError) as exc:  # json's errors and NotANotebook are ValueErrors
        return _unreadable(path.name, str(exc) or type(exc).__name__)
    except OSError as exc:
        return _unreadable(path.name, exc.strerror or str(exc))
    return render_source(path.name, cells)


def student_cells(notebook: Any) -> list[tuple[str, str]]:
    """``(label, source)`` of the code cells that hold the student's work: not the kit's test cells."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotANotebook("it has no list of cells (is it a Jupyter notebook in format 4?)")
    found = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotANotebook(f"cell {number} is not a cell")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotANotebook(f"the source of cell {number} is not text")
        if not _is_test_cell(cell, source):
            found.append((f"cell {number}", source))
    return found


def _is_test_cell(cell: dict[str, Any], source: str) -> bool:
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    graded = isinstance(meta, dict) and meta.get("grade") is True and meta.get("solution") is not True
    return graded or CHECKS_MODULE in source


_RUNNER = '''\
"""{notebook} as tfgrade grades it, generated from its code cells.

The cells run in order, as Jupyter runs them: one that raises stops only itself, and IPython
magics (%...) and shell lines (!...) are left out. Each cell runs at its own lines of this file.
"""


def _tfgrade_cell(label, line, source):
    import sys

    try:
        filename = __file__ if line else f"<{notebook} {{label}}>"
        exec(_tfgrade_compile("\\n" * max(0, line - 1) + source, filename), globals())
    except (Exception, SystemExit) as error:  # as in Jupyter, the next cell still runs
        print(f"{notebook} {{label}}: {{type(error).__name__}}: {{error}}", file=sys.stderr)


def _tfgrade_compile(source, filename):
    try:
        return compile(source, filename, "exec")
    except SyntaxError:
        lines = [line[: len(line) - len(line.lstrip())] + "pass  # " + line.strip()
                 if line.lstrip().startswith(("%", "!")) else line for line in source.split("\\n")]
        return compile("\\n".join(lines), filename, "exec")

'''


def render_source(notebook: str, cells: Iterable[tuple[str, str]]) -> str:
    """A module that runs ``cells`` (``(label, source)``) in order; see ``_RUNNER``."""
    text = _RUNNER.format(notebook=re.sub(r"[^\w.\- ]", "_", notebook))
    for label, source in cells:
        opening = text.count("\n") + 2  # the line after the blank line below
        text += "\n" + _cell_call(label, opening, source)
    return text


def _cell_call(label: str, opening: int, source: str) -> str:
    """``_tfgrade_cell(label, line, r'''<source verbatim>''')``; a source that cannot sit verbatim in a
    raw string is passed escaped, its line numbers then being those of the cell alone."""
    for quote in ("'''", '"""'):
        if quote not in source and "\r" not in source and "\0" not in source and _encodable(source):
            return f"_tfgrade_cell({label!r}, {opening}, r{quote}\n{source}\n{quote})\n"
    return f"_tfgrade_cell({label!r}, 0, {source!r})\n"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, which JSON can carry
        return False
    return True


def _unreadable(name: str, reason: str) -> str:
    message = f"{name} could not be read as a notebook: {reason}"
    return f"WHY = {message[:500]!r}\nraise ImportError(WHY)\n"


def convert_folder(source: Path, target: Path) -> list[str]:
    """Write ``exNN_slug.py`` into ``target`` for every exercise notebook in the folder ``source``."""
    written = []
    for path in sorted(source.iterdir()):
        if NOTEBOOK_FILE.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            module = path.with_suffix(".py").name
            (target / module).write_text(exercise_source(path), encoding="utf-8")
            written.append(module)
    return written


def holds_notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(NOTEBOOK_FILE.fullmatch(p.name) for p in folder.iterdir())

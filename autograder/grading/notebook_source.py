"""Submitted notebooks turned back into the ``.py`` file the grader runs.

A notebook's code cells, minus its test cells, become a module that runs each cell in order as
Jupyter does (an error stops only its own cell; IPython magics and shell lines are left out). The
cells are copied verbatim and executed at their own line numbers, so tracebacks quote the student's
lines. Parsing happens here, in the trusted process; nothing of the notebook is executed outside the
sandbox. Pure: no TensorFlow.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from autograder.errors import NotANotebook

NOTEBOOK_FILE = re.compile(r"ex\d\d_[a-z0-9_]+\.ipynb")
# The module a generated notebook's test cells call; a cell naming it, or the path released notebooks
# used before it, is the kit's, never the student's work.
KERNEL_MODULE = "autograder.notebooks.kernel"
KIT_MODULES = (KERNEL_MODULE, "autograder.notebook_checks")
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024



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
    return graded or any(module in source for module in KIT_MODULES)


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


ORIGIN = ".tfgrade-notebooks-of"  # in a converted folder: the folder of notebooks it was converted from


def convert_folder(source: Path, target: Path) -> list[str]:
    """Write ``exNN_slug.py`` into ``target`` for every exercise notebook in the folder ``source``, and
    ``ORIGIN`` naming ``source``, so that a message about a missing file names the notebook and its folder."""
    (target / ORIGIN).write_text(str(source), encoding="utf-8")
    written = []
    for path in sorted(source.iterdir()):
        if NOTEBOOK_FILE.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            module = path.with_suffix(".py").name
            (target / module).write_text(exercise_source(path), encoding="utf-8")
            written.append(module)
    return written


def origin(folder: Path) -> Path | None:
    """The folder of notebooks ``folder`` was converted from (``convert_folder``); None if it was not."""
    marker = folder / ORIGIN
    if marker.is_symlink() or not marker.is_file():
        return None
    return Path(marker.read_text(encoding="utf-8", errors="replace")[:4096])


def holds_notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(NOTEBOOK_FILE.fullmatch(p.name) for p in folder.iterdir())

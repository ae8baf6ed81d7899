"""An nbgrader autograde step that warns about edited test cells only: ``OverwriteCells`` without the
false "checksum has changed" warning of every untouched hidden test cell. ``tfgrade nbgrader init`` puts
it in ``Autograde.sanitize_preprocessors`` in place of ``OverwriteCells``.

nbgrader's ``generate_assignment`` stores a test cell's checksum in the gradebook before it strips the
cell's ``### BEGIN HIDDEN TESTS`` region, so the cell students receive never matches it, and autograde
warns that the checksum changed for every hidden test cell of every student, honest or not
(jupyter/nbgrader#1961), which drowns the warnings about real edits. Here a locked cell whose source is
exactly what ``generate_assignment`` released, the gradebook's source with its hidden regions removed,
gets the gradebook's source back before ``OverwriteCells`` compares checksums; any other source is
left to ``OverwriteCells``, which warns and restores the gradebook's source as before.
"""

from __future__ import annotations

from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


class OverwriteReleasedCells(OverwriteCells):

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            try:
                original = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                original = None  # OverwriteCells says so
            if original is not None and original.locked and cell.source != original.source \
                    and cell.source == released_source(original.source, self):
                cell.source = original.source
        return super().preprocess_cell(cell, resources, cell_index)


def released_source(source: str, parent: Any = None) -> str:
    """``source`` as ``generate_assignment`` releases it: without its hidden test regions."""
    cell = NotebookNode({"cell_type": "code", "source": source, "metadata": {}})
    try:
        ClearHiddenTests(parent=parent)._remove_hidden_test_region(cell)
    except RuntimeError:  # an unclosed region, which generate_assignment refuses
        return source
    return cell.source

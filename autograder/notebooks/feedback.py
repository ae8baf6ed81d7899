"""An nbgrader feedback step that withholds hidden tests: the source of their regions and any error
text that could quote them. ``tfgrade nbgrader init`` adds it to ``GenerateFeedback.preprocessors``.

nbgrader's autograde restores hidden test regions into the graded notebook, and its feedback step
would show them, with tracebacks quoting their lines. A failed check raises ``CheckFailed``, whose
message is already safe (see ``autograder.notebooks.kernel``): it is kept, as wrapped there, without
the traceback; any other error of a hidden test shows only its kind.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import ClearHiddenTests

SAFE_ERROR = "CheckFailed"


class WithholdHiddenTests(ClearHiddenTests):

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        if self._remove_hidden_test_region(cell) and cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    _withhold(output)
        return cell, resources


def _withhold(output: Any) -> None:
    if output.get("ename") != SAFE_ERROR:
        output["evalue"] = "a hidden test failed; its details are withheld"
    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]

"""Valid variants: the reference with ``edits`` applied, spelled differently but meaning the same (``3`` for
``(3, 3)``, ``keras.activations.relu`` for ``"relu"``, ``(-0.2, 0.2)`` for ``0.2``), must still earn full
marks: the whole-configuration comparison (``LayerConfig``) normalizes such spellings."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from helpers import mutate

from autograder.spec import ALL


@dataclass(frozen=True)
class Same:
    """``slow`` ones (a structure the grader must train afresh) run in the extended tier, as slow
    wrong submissions do; every exercise with variants keeps at least one in the default run."""

    name: str
    edits: tuple[tuple[str, str], ...]
    slow: bool = False

    def __str__(self) -> str:
        return self.name


def equivalent_tests(exercise_id: str, variants: list[Same]):
    """``test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)``."""

    @pytest.mark.parametrize("variant", variants, ids=str)
    def test_equivalent_spelling_earns_full_marks(grade, variant):
        result = grade(exercise_id, mutate(exercise_id, *variant.edits), ALL)
        assert result.possible > 0
        assert result.score == result.possible, {c.check_id: c.message for c in result.checks if not c.passed}

    return test_equivalent_spelling_earns_full_marks

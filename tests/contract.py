"""The contract every exercise's tests share: the reference earns full marks, the untouched stub earns
zero with a message saying what to implement, and each realistic wrong submission loses exactly the
checks it should, with a message naming the difference."""

from __future__ import annotations

import pytest
from helpers import failed_ids, message_of, mutate, solution_text, stub_text

from autograder import exercises as registry
from autograder.spec import ALL, Misconception

# A wrong submission: the reference with ``edits`` applied must fail exactly ``fails``, and the message of
# the first id in ``fails`` must contain ``says``. ``slow`` ones (long training) run in the extended tier only
# (``pytest -m slow``); every exercise keeps at least one in the default run. Each exercise declares its own
# in its spec, in a hidden-test region (``Exercise.misconceptions``): grading names the one a student's
# failures match, so the tests and the feedback share one source.
Wrong = Misconception


def assert_reference_full_marks(grade, exercise_id: str) -> None:
    result = grade(exercise_id, solution_text(exercise_id), ALL)
    assert result.possible == registry.get(exercise_id).possible_points() > 0
    assert result.score == result.possible, [c.message for c in result.checks if not c.passed]


def assert_stub_zero(grade, exercise_id: str) -> None:
    result = grade(exercise_id, stub_text(exercise_id), ALL)
    assert result.possible > 0 and result.score == 0
    assert result.status == "error"
    assert "is not implemented yet" in result.message and "NotImplementedError" in result.message


def assert_wrong_loses(grade, exercise_id: str, wrong: Wrong) -> None:
    result = grade(exercise_id, mutate(exercise_id, *wrong.edits), ALL)
    assert failed_ids(result) == set(wrong.fails), {c.check_id: c.message for c in result.checks if not c.passed}
    lost = sum(c.possible for c in result.checks if not c.passed)
    assert result.score == result.possible - lost > 0 or result.score == 0
    assert wrong.says in message_of(result, wrong.fails[0])
    # Grading names the mistake: the feedback says "looks like: <name>" (with any it cannot be told from).
    assert wrong.name in result.misconception.split(" or "), result.misconception


def contract_tests(exercise_id: str, wrong: tuple[Wrong, ...] | None = None):
    """The three tests every exercise's file holds, bound to its exercise and wrong submissions (by default
    the misconceptions its spec declares): ``test_reference_earns_full_marks, test_untouched_stub_earns_zero,
    test_wrong_submission_loses_the_right_points = contract_tests(EXERCISE)``."""
    if wrong is None:
        wrong = registry.get(exercise_id).misconceptions

    def test_reference_earns_full_marks(grade):
        assert_reference_full_marks(grade, exercise_id)

    def test_untouched_stub_earns_zero(grade):
        assert_stub_zero(grade, exercise_id)

    @pytest.mark.parametrize("wrong", wrong, ids=str)
    def test_wrong_submission_loses_the_right_points(grade, wrong):
        assert_wrong_loses(grade, exercise_id, wrong)

    return test_reference_earns_full_marks, test_untouched_stub_earns_zero, test_wrong_submission_loses_the_right_points

"""Naming a known mistake: a student's failed checks that equal one of the exercise's misconceptions.

Each exercise declares the wrong submissions its tests grade (``Exercise.misconceptions``, hidden from
students' bundles). When a student's graded exercise fails exactly the checks one of them fails, and the
first of those checks says what it says, the result is named after it ("looks like: softmax applied twice").
Only grading with every case (``tfgrade grade``) can tell: a bundle's specs hold no misconceptions, and
public cases alone fail only part of the checks.
"""

from __future__ import annotations

from autograder.results import ExerciseResult
from autograder.spec import ALL, Exercise, Misconception, Visibilities

OR = " or "  # misconceptions that fail the same checks with the same message cannot be told apart


def matching(exercise: Exercise, result: ExerciseResult) -> tuple[Misconception, ...]:
    """The misconceptions whose failed checks are exactly the result's, with the message each expects."""
    failed = {check.check_id for check in result.checks if not check.passed}
    if not failed:
        return ()
    messages = {check.check_id: check.message for check in result.checks}
    found = []
    for misconception in exercise.misconceptions:
        if set(misconception.fails) != failed:
            continue
        # Code that did not run fails every check it reaches: only the message tells which mistake it was.
        if result.status == "error" and not misconception.says:
            continue
        if misconception.says in messages.get(misconception.fails[0], ""):
            found.append(misconception)
    return tuple(found)


def name(exercise: Exercise, result: ExerciseResult, visibilities: Visibilities = ALL) -> str:
    """``"softmax applied twice"``, or ``""``: nothing matched, or not every case was graded."""
    if set(visibilities) != set(ALL):
        return ""
    return OR.join(misconception.name for misconception in matching(exercise, result))

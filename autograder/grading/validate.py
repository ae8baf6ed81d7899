"""Course CI: every reference earns full marks, every untouched stub earns zero, and the generated
student files are in sync with their sources."""

from __future__ import annotations

from dataclasses import dataclass

from autograder.errors import ReferenceFailure
from autograder.grading.grade import grade_exercise
from autograder.grading.reference import ComputedReference
from autograder.spec import ALL, Exercise, stubs


@dataclass
class Validation:
    exercise: str
    in_sync: bool
    reference_score: float
    stub_score: float
    possible: float
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_exercise(exercise: Exercise, ref: ComputedReference) -> Validation:
    course = ref.course
    problems: list[str] = []
    in_sync = not stubs.out_of_sync(course.assignments, course.solutions, [exercise])
    if not in_sync:
        problems.append(f"assignments/{exercise.filename} is out of date: run `tfgrade generate`")
    try:
        graded = grade_exercise(exercise, course.solutions / exercise.filename, ALL, ref)
        stub = grade_exercise(exercise, course.assignments / exercise.filename, ALL, ref)
    except ReferenceFailure as exc:
        return Validation(exercise.id, in_sync, 0.0, 0.0, exercise.possible_points(), problems + [str(exc)])
    problems += [f"reference fails {c.check_id}: {c.message}" for c in graded.checks if not c.passed]
    problems += [f"untouched stub earns points on {c.check_id}" for c in stub.checks if c.points > 0]
    if graded.possible <= 0:
        problems.append("the exercise has no points")
    return Validation(exercise.id, in_sync, graded.score, stub.score, graded.possible, problems)

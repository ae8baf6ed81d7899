"""``tfgrade list``: the exercises, their titles and points."""

from __future__ import annotations

from autograder import exercises as registry
from autograder.commands.common import print_json
from autograder.course import Course
from autograder.results import terminal
from autograder.spec import PUBLIC


def main(*, json: bool = False) -> int:
    exercises = list(registry.all_exercises())
    instructor = Course.locate().has_solutions
    if json:
        print_json([{"id": e.id, "name": e.slug, "concept": e.concept, "title": e.title,
                     "file": e.filename, "public_points": e.possible_points(frozenset({PUBLIC})),
                     **({"points": e.possible_points()} if instructor else {})} for e in exercises])
    else:
        terminal.print_exercise_list(exercises, show_hidden=instructor)
    return 0

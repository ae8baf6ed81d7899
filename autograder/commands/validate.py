"""``tfgrade validate``: course CI. Every reference earns full marks, every untouched stub earns zero,
and the generated student files are in sync with their sources."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rich.table import Table

from autograder import sandbox
from autograder.commands.common import instructor_reference, print_json, select
from autograder.errors import ReferenceFailure
from autograder.grading.grade import grade_exercise
from autograder.grading.reference import ComputedReference
from autograder.results import terminal
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


def main(*, exercises: list[str] | None = None, json: bool = False) -> int:
    chosen = select(exercises)
    ref = instructor_reference("validate")
    sandbox.warm_up()
    results = []
    for exercise in chosen:
        with terminal.working(f"validating {exercise.id} {exercise.slug}", enabled=not json):
            results.append(validate_exercise(exercise, ref))
        if not json:
            _print_row(results[-1])
    ok = all(r.ok for r in results)
    if json:
        print_json({"ok": ok, "exercises": [asdict(r) | {"ok": r.ok} for r in results]})
    else:
        _print_table(results)
    return 0 if ok else 1


def _print_row(result: Validation) -> None:
    mark = "[green]ok[/green]" if result.ok else "[red]FAILED[/red]"
    terminal.console.print(f"{result.exercise}: {mark}  reference {result.reference_score:g}/{result.possible:g}, "
                         f"stub {result.stub_score:g}")
    for problem in result.problems:
        terminal.say(f"   - {problem}", style="red")  # a check message may hold brackets: "[None, 64]"


def _print_table(results: list[Validation]) -> None:
    table = Table(title="tfgrade validate", header_style="bold")
    for column in ("exercise", "in sync", "reference", "stub", "status"):
        table.add_column(column)
    for r in results:
        table.add_row(r.exercise, "yes" if r.in_sync else "[red]no[/red]", f"{r.reference_score:g}/{r.possible:g}",
                      f"{r.stub_score:g}", "[green]ok[/green]" if r.ok else "[red]FAILED[/red]")
    terminal.console.print(table)

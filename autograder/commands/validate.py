"""``tfgrade validate``: course CI (``grading.validate``), printed as rows and a table or as JSON. On the
data of the course secret where there is one (as ``tfgrade grade``), else on the public data."""

from __future__ import annotations

from dataclasses import asdict

from rich.table import Table

from autograder import sandbox
from autograder.commands.common import data_key, instructor_reference, print_json, select
from autograder.course import datasets
from autograder.grading.validate import Validation, validate_exercise
from autograder.results import terminal


def main(*, exercises: list[str] | None = None, json: bool = False) -> int:
    chosen = select(exercises)
    ref = instructor_reference("validate")
    key = data_key(ref.course)  # the data grades are measured on, where the course has a secret
    sandbox.warm_up()
    ref.on_measure = terminal.MeasuringProgress(lambda: sum(not ref.cached(e, e.cases) for e in chosen))
    results = []
    for exercise in chosen:
        with terminal.working(f"validating {exercise.id} {exercise.slug}", enabled=not json), datasets.keyed(key):
            results.append(validate_exercise(exercise, ref))
        if not json and not results[-1].ok:
            _print_row(results[-1])  # its problems now; the table below sums every exercise up once
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

"""Terminal output with rich: grading reports, exercise lists and live progress."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.results import ExerciseResult, GradingResult
from autograder.spec import PUBLIC, Exercise

console = Console(stderr=False, highlight=False, soft_wrap=False)
# soft_wrap: a status line is left whole for the terminal to wrap, so a path in it is never broken
# in two and a pipe or a log receives it on one line.
status_console = Console(stderr=True, highlight=False, soft_wrap=True)


def note(text: str) -> None:
    """A dim line on stderr, printed as written: never read as markup, never broken by rich."""
    status_console.print(text, style="dim", markup=False)


def say(text: str, style: str | None = None) -> None:
    """A message line on stdout, printed as written: a path in it (``grades [final]/``) is never read as
    markup, nor broken in two where stdout is a pipe or a log."""
    console.print(text, style=style, markup=False, soft_wrap=True)


def print_exercise(result: ExerciseResult) -> None:
    colour = "green" if result.passed else ("red" if result.score == 0 else "yellow")
    console.print(f"\n[bold]{result.exercise}[/bold] {escape(result.title)}  "
                  f"[{colour}]{result.score:g} / {result.possible:g}[/{colour}]  [dim]{result.seconds:.1f} s[/dim]")
    if result.message:
        console.print(f"  [red]{escape(result.message)}[/red]")
    if result.misconception:
        console.print(f"  [yellow]looks like: {escape(result.misconception)}[/yellow]")
    table = Table(show_header=False, box=None, padding=(0, 1), expand=False)
    table.add_column(width=1)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(overflow="fold")
    for check in result.checks:
        mark = "[green]✓[/green]" if check.passed else "[red]✗[/red]"
        case = check.case if check.visibility == PUBLIC else f"{check.case} (hidden)"
        message = check.public_message()
        if result.message and message == result.message:
            message = "[dim]see above[/dim]"
        else:
            message = escape(message)
        table.add_row(mark, f"{escape(case)}: {check.title}", f"{check.points:g}/{check.possible:g}", message)
    console.print(table)


def print_total(result: GradingResult) -> None:
    colour = "green" if result.score == result.possible else ("red" if result.score == 0 else "yellow")
    console.print(f"\n[bold]Total[/bold] [{colour}]{result.score:g} / {result.possible:g}[/{colour}] points "
                  f"for {len(result.exercises)} exercise{'s' if len(result.exercises) != 1 else ''}")


def print_exercise_list(exercises: list[Exercise], show_hidden: bool) -> None:
    table = Table(title="tfgrade exercises", header_style="bold")
    table.add_column("id")
    table.add_column("name")
    table.add_column("concept")
    table.add_column("title")
    table.add_column("public points", justify="right")
    if show_hidden:
        table.add_column("all points", justify="right")
    for e in exercises:
        row = [e.id, e.slug, e.concept, e.title, f"{e.possible_points(frozenset({PUBLIC})):g}"]
        if show_hidden:
            row.append(f"{e.possible_points():g}")
        table.add_row(*map(escape, row))
    console.print(table)


@contextmanager
def working(message: str, enabled: bool = True) -> Iterator[object]:
    """A spinner on stderr while something runs; silent when stderr is not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    with status_console.status(message) as status:
        yield status

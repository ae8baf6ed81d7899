"""Terminal output with rich: grading reports, exercise lists and live progress."""

from __future__ import annotations

import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from autograder.results import CheckResult, ExerciseResult, GradingResult
from autograder.spec import PUBLIC, Exercise

console = Console(stderr=False, highlight=False, soft_wrap=False)
# soft_wrap: a status line is left whole for the terminal to wrap, so a path in it is never broken
# in two and a pipe or a log receives it on one line.
status_console = Console(stderr=True, highlight=False, soft_wrap=True)
# The live status line (``working``), if one shows: what is printed on stdout meanwhile clears it first
# (``_above_status``), so that no frame of it is left behind in the terminal's scrollback.
_live: Live | None = None
_live_lock = threading.RLock()


def note(text: str) -> None:
    """A dim line on stderr, printed as written: never read as markup, never broken by rich."""
    status_console.print(text, style="dim", markup=False)


def say(text: str, style: str | None = None) -> None:
    """A message line on stdout, printed as written: a path in it (``grades [final]/``) is never read as
    markup, nor broken in two where stdout is a pipe or a log."""
    with _above_status():
        console.print(text, style=style, markup=False, soft_wrap=True)


def print_exercise(result: ExerciseResult, detail: bool = True) -> None:
    """An exercise's points, then each check (``detail``) or only the failed ones, each with its message."""
    with _above_status():
        if detail:
            _print_exercise(result)
        else:
            _print_exercise_line(result)


def _colour(full_marks: bool, score: float) -> str:
    return "green" if full_marks else ("red" if score == 0 else "yellow")


def _case_label(check: CheckResult) -> str:
    return check.case if check.visibility == PUBLIC else f"{check.case} (hidden)"


def _print_exercise(result: ExerciseResult) -> None:
    colour = _colour(result.passed, result.score)
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
        case = _case_label(check)
        message = check.public_message()
        if result.message and message == result.message:
            message = "[dim]see above[/dim]"
        else:
            message = escape(message)
        table.add_row(mark, f"{escape(case)}: {check.title}", f"{check.points:g}/{check.possible:g}", message)
    console.print(table)


def _print_exercise_line(result: ExerciseResult) -> None:
    """One line for the exercise; below it, a line per failed check with its message (a hidden case's
    withheld, as in the full report: this output may reach students, as Gradescope's log does)."""
    colour = _colour(result.passed, result.score)
    line = Text.assemble((f"{result.exercise} ", "bold"), result.title, "  ",
                         (f"{result.score:g} / {result.possible:g}", colour), (f"  {result.seconds:.1f} s", "dim"))
    line.no_wrap, line.overflow = True, "ellipsis"
    console.print(line)
    if result.message:
        console.print(f"   {result.message}", style="red", markup=False, soft_wrap=True)
    if result.misconception:
        console.print(f"   looks like: {result.misconception}", style="yellow", markup=False, soft_wrap=True)
    for check in result.checks:
        if check.passed:
            continue
        case = _case_label(check)
        message = check.public_message()
        message = "see above" if result.message and message == result.message else message
        points = f"{check.points:g}/{check.possible:g}"
        console.print(Text.assemble("   ", ("✗", "red"), f" {case}: {check.title} {points}  ", message), soft_wrap=True)


def print_total(result: GradingResult) -> None:
    with _above_status():
        _print_total(result)


def _print_total(result: GradingResult) -> None:
    colour = _colour(result.score == result.possible, result.score)
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


class Activity:
    """What the live status line shows: a spinner, then a text, or a function called for the text at each
    refresh (an elapsed time that counts up). Always one line, cut short to the terminal's width: a line
    the terminal wrapped would be left behind when the status is cleared."""

    def __init__(self, text: str | Callable[[], str]) -> None:
        self._text = text
        self._spinner = Spinner("dots", style="green")

    def update(self, text: str | Callable[[], str]) -> None:
        self._text = text

    def text(self) -> str:
        return self._text() if callable(self._text) else self._text

    def __rich__(self) -> Text:
        line = Text.assemble(self._spinner.render(time.monotonic()), " ", self.text())
        line.no_wrap, line.overflow = True, "ellipsis"
        return line


@contextmanager
def working(message: str | Callable[[], str], enabled: bool = True) -> Iterator[Activity | None]:
    """A status line on stderr while something runs (``update`` changes it); silent when stderr is not a
    terminal. It is cleared when the block ends, even on Ctrl-C, and before each line this module prints."""
    global _live
    if not enabled or not sys.stderr.isatty() or not status_console.is_terminal:
        yield None
        return
    activity = Activity(message)
    live = Live(activity, console=status_console, transient=True, refresh_per_second=4, redirect_stdout=False,
                redirect_stderr=False)
    with _live_lock:
        _live = live
        _start(live)
    try:
        yield activity
    finally:
        with _live_lock:
            _live = None
            live.stop()


@contextmanager
def _above_status() -> Iterator[None]:
    """Print on stdout with the status line out of the way: cleared first, drawn again below the output."""
    with _live_lock:
        live = _live
        if live is None or not live.is_started:
            yield
            return
        live.stop()
        try:
            yield
        finally:
            console.file.flush()
            _start(live)


def _start(live: Live) -> None:
    """Start ``live`` and its refresh thread with Ctrl-C blocked in that thread (a new thread inherits
    the mask of the one that starts it): a SIGINT taken by it would leave the main thread blocked in a
    read (the warm grader's answer, for minutes) instead of interrupting it there."""
    if threading.current_thread() is not threading.main_thread():
        live.start(refresh=True)
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        live.start(refresh=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class MeasuringProgress:
    """A line on stderr as each reference's observations start to be measured (minutes for a whole course,
    the first time): ``computing reference observations: ex06 conv2d (3/20)``, and one when all are done.
    Set as a ``ComputedReference``'s ``on_measure``; ``pending`` counts the exercises to measure, when the
    first starts (their cache files depend on the data key then in force)."""

    def __init__(self, pending: Callable[[], int]) -> None:
        self.pending = pending
        self.total: int | None = None
        self.started = self.finished = 0
        self.since = 0.0
        self.lock = threading.Lock()

    def __call__(self, exercise: Exercise, measuring: bool) -> None:
        with self.lock:
            if measuring:
                if self.total is None:
                    self.total, self.since = max(1, self.pending()), time.monotonic()
                elif self.started >= self.total:  # more than foreseen: count the rest again
                    self.total = self.started + max(1, self.pending())
                self.started += 1
                note(f"computing reference observations: {exercise.id} {exercise.slug} ({self.started}/{self.total})")
                return
            self.finished += 1
            if self.finished == self.total:
                seconds = time.monotonic() - self.since
                note(f"reference observations computed in {_duration(seconds)}; cached for later runs")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 60 else f"{seconds // 60:.0f} min {seconds % 60:.0f} s"

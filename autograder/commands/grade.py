"""``tfgrade grade``: an instructor grades one submission or a folder of them, with every check, on the
data of the course secret (made on first use; see ``autograder.course.secret``).

Writes per student ``<name>/result.json`` and Gradescope's ``<name>/results.json`` (``<name>`` as
``results.files.student_folder`` names the student's folder), and for the whole run ``grades.csv`` and
``junit.xml``. Reruns skip students whose files and grader are unchanged.
"""

from __future__ import annotations

import os
import threading
from contextlib import ExitStack
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from autograder import sandbox
from autograder.commands.common import data_key, instructor_reference, print_json, select
from autograder.course import datasets
from autograder.errors import BadSubmission
from autograder.grading import submissions as discovery
from autograder.grading.batch import grade_batch
from autograder.grading.cluster import dask_executor, parse_cluster
from autograder.results import GradingResult, files, terminal
from autograder.sandbox import confine
from autograder.spec import Exercise


def main(*, submission: Path, out: Path, exercises: list[str] | None = None, workers: int | None = None,
         one: bool = False, json: bool = False, scheduler: str | None = None, cluster: str | None = None,
         detail: bool = False) -> int:
    from autograder.errors import UsageError

    if not submission.exists():
        raise UsageError(f"{submission} does not exist")
    try:
        batch = discovery.Found([discovery.one(submission)], []) if one else discovery.find(submission)
    except BadSubmission as exc:
        raise UsageError(str(exc)) from None
    submissions = batch.submissions
    if not submissions:
        raise UsageError(f"{submission} holds no submissions (folders, .zip or .tar.gz files)"
                         + (f"; ignored: {_names(batch.ignored)}" if batch.ignored else ""))
    assignment = None if exercises else batch.exercises()  # notebooks: their assignment's exercises only
    chosen = select(exercises or assignment)
    if assignment and not json:
        terminal.say(f"grading the exercises of the notebooks' assignment: {', '.join(assignment)}", style="dim")
    ref = instructor_reference("grade")
    key = data_key(ref.course, create=True)  # read before the forkserver starts, which never sees the secret
    local_workers = parse_cluster(cluster) if cluster else None
    # No eager warm-up: the forkserver (TensorFlow's import) starts with the first child, so a rerun with
    # nothing to grade costs no import, and Dask workers start their own.
    distributed = scheduler is not None or cluster is not None
    confine.hide(out)  # students' code may not read other students' results,
    confine.hide(submission)  # nor their work (each child is handed its own submission's folder back)
    if confine.missing():
        terminal.note(f"warning: this machine cannot confine students' code with {', '.join(confine.missing())}: "
                      "see docs/threat-model.md for what is then unprotected")
    workers = workers or min(2, os.cpu_count() or 1)
    sandbox.set_slots(max(workers, sandbox.slots()))  # each student has at least one child running
    single = len(submissions) == 1
    ref.on_measure = terminal.MeasuringProgress(lambda: sum(not ref.cached(e, e.cases) for e in chosen))
    with _progress(len(submissions), enabled=not json and not single) as (on_start, on_done):
        with terminal.working(f"grading {submissions[0].name}", enabled=single and not json), datasets.keyed(key):
            with ExitStack() as stack:
                def remote(context):  # Dask workers, set up on the first student they receive
                    return stack.enter_context(dask_executor(scheduler=scheduler, local_workers=local_workers,
                                                             on_start=on_start))
                outcome = grade_batch(submissions, chosen, out, ref, workers=workers, on_start=on_start,
                                      on_done=on_done, remote=remote if distributed else None, data_key=key)
    if json:
        print_json(outcome.results[0].to_dict() if single else [r.to_dict() for r in outcome.results])
    elif single:
        for exercise in outcome.results[0].exercises:
            terminal.print_exercise(exercise, detail=detail)
        terminal.print_total(outcome.results[0])
        if not detail:
            terminal.say(f"every check: --detail; the student's page: "
                         f"{out / files.student_folder(outcome.results[0].submission) / 'feedback.html'}",
                         style="dim")
    else:
        _print_summary(outcome.results, chosen)
    if batch.ignored:
        entries = "1 entry" if len(batch.ignored) == 1 else f"{len(batch.ignored)} entries"
        (terminal.note if json else terminal.say)(
            f"ignored {entries} of {submission}, neither folders nor archives (or symbolic links, never "
            f"followed): {_names(batch.ignored)}")
    if not json:
        for result in outcome.results if not single else []:
            if files.submission_error(result):
                terminal.say(f"{result.submission}: not graded: {files.submission_error(result)}")
        for name, why in outcome.failed.items():
            terminal.say(f"{name}: not graded ({why}): run the same command again to grade it")
        done = f"graded {len(outcome.graded)}" + (f", {len(outcome.skipped)} unchanged since the last run"
                                                  if outcome.skipped else "")
        terminal.say(f"{done} in {outcome.seconds:.0f} s; results in {out}")
    return 1 if outcome.failed else 0


def _names(paths: list[Path], shown: int = 10) -> str:
    names = ", ".join(path.name for path in paths[:shown])
    return names + (f" and {len(paths) - shown} more" if len(paths) > shown else "")


class _progress:
    """A progress bar of students on stderr: done/total, who is being graded, time left."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.current: list[str] = []
        self.lock = threading.Lock()

    def __enter__(self):
        if not self.enabled:
            return None, None
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                            console=terminal.status_console, transient=False)
        self.bar.__enter__()
        self.task = self.bar.add_task("grading", total=self.total)
        return self.start, self.done

    def start(self, name: str) -> None:
        with self.lock:
            self.current.append(name)
            self.bar.update(self.task, description=f"grading {', '.join(self.current)}")

    def done(self, result: GradingResult, skipped: bool) -> None:
        with self.lock:
            if result.submission in self.current:
                self.current.remove(result.submission)
            self.bar.update(self.task, advance=1, description=f"grading {', '.join(self.current) or '...'}")

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)


def _print_summary(results: list[GradingResult], exercises: list[Exercise]) -> None:
    table = Table(title=f"{len(results)} submissions", header_style="bold")
    for column in ("exercise", "average", "possible", "full marks", "errors"):
        table.add_column(column, justify="left" if column == "exercise" else "right")
    for exercise in exercises:
        graded = [next(e for e in r.exercises if e.exercise == exercise.id) for r in results]
        possible = graded[0].possible if graded else 0
        table.add_row(f"{exercise.id} {exercise.slug}", f"{sum(e.score for e in graded) / max(1, len(graded)):.1f}",
                      f"{possible:g}", str(sum(e.passed for e in graded)), str(sum(e.status == "error" for e in graded)))
    totals = [r.score for r in results]
    table.add_row("total", f"{sum(totals) / max(1, len(totals)):.1f}", f"{results[0].possible:g}" if results else "0",
                  str(sum(r.score == r.possible for r in results)), "", style="bold")
    terminal.console.print(table)

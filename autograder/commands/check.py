"""``tfgrade check``: a student grades their own copy of assignments/ with the public checks.

Checks go to a warm grader (``autograder.daemon``) that keeps TensorFlow loaded between runs; when
none can be reached or started, or with ``--no-daemon``, this process grades by itself.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from autograder import daemon, sandbox
from autograder.commands.common import print_json, select
from autograder.course import Course
from autograder.grading import reference
from autograder.grading.grade import grade_submission
from autograder.results import ExerciseResult, GradingResult, terminal
from autograder.spec import PUBLIC_ONLY, Exercise


def main(*, exercises: list[str] | None = None, path: Path | None = None, json: bool = False,
         no_daemon: bool = False) -> int:
    chosen = select(exercises)
    folder = _assignments_folder(path)
    printed: set[str] = set()
    progress = Progress(chosen, folder)

    def on_exercise(result: ExerciseResult) -> None:
        progress.finished(result.exercise)
        if not json and result.exercise not in printed:
            printed.add(result.exercise)
            terminal.print_exercise(result)

    use_daemon = not no_daemon and os.environ.get("TFGRADE_DAEMON", "1") != "0"
    with terminal.working(progress.line, enabled=not json):
        result = _check(folder, chosen, on_exercise, use_daemon, progress)
    if json:
        print_json(result.to_dict())
    else:
        terminal.print_total(result)
    return 0 if result.score == result.possible else 1


def _check(folder: Path, chosen: list[Exercise], on_exercise, use_daemon: bool, progress: Progress) -> GradingResult:
    course = Course.locate()
    if use_daemon:
        try:
            return daemon.check(daemon.Address.for_course(course), folder, [e.id for e in chosen], on_exercise,
                                on_start=lambda: _starting(progress), on_progress=progress.told)
        except daemon.DaemonUnavailable as exc:
            terminal.note(f"{exc}; checking without the warm grader")
    progress.phase = "loading TensorFlow"
    sandbox.warm_up()
    progress.phase = ""
    ref = reference.for_course(course)
    if isinstance(ref, reference.ComputedReference):
        ref.on_measure = lambda exercise, measuring: progress.measuring(exercise.id, measuring)
    with _children_killed_on_interrupt():
        return grade_submission(folder, chosen, PUBLIC_ONLY, reference.Watched(ref, lambda e: progress.started(e.id)),
                                on_exercise=on_exercise)


@contextmanager
def _children_killed_on_interrupt() -> Iterator[None]:
    """Ctrl-C while this process grades kills its children, and any it starts until it exits: without
    that, it would wait for each running case to end (up to its time limit) before exiting."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: Any) -> None:
        # In a thread: the handler may interrupt this thread while it holds the sandbox's lock.
        threading.Thread(target=sandbox.cancel_children, daemon=True).start()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Progress:
    """What the status line says while a check runs: which exercises run, for how long, against which
    limit (``ex03: running build_model() 12 s / limit 120 s``: the limit of each call), and how many are
    done. Told by the grading (here or in the warm grader) when each exercise starts, measures its
    reference and ends."""

    def __init__(self, exercises: list[Exercise], folder: Path) -> None:
        self.exercises = {exercise.id: exercise for exercise in exercises}
        self.folder = folder
        self.phase = ""  # what happens before grading starts: the warm grader starting, TensorFlow loading
        self.running: dict[str, float] = {}  # exercise id -> when its children started
        self.references: dict[str, float] = {}  # exercise id -> when measuring its reference started
        self.done = 0
        self.lock = threading.Lock()

    def started(self, exercise_id: str) -> None:
        with self.lock:
            self.references.pop(exercise_id, None)
            self.running.setdefault(exercise_id, time.monotonic())

    def measuring(self, exercise_id: str, measuring: bool) -> None:
        with self.lock:
            if measuring:
                self.references[exercise_id] = time.monotonic()
            else:
                self.references.pop(exercise_id, None)

    def finished(self, exercise_id: str) -> None:
        with self.lock:
            self.running.pop(exercise_id, None)
            self.references.pop(exercise_id, None)
            self.done += 1

    def told(self, message: dict[str, Any]) -> None:
        """A progress message of the warm grader (see ``daemon.check``)."""
        self.phase = ""
        if "started" in message:
            self.started(str(message["started"]))
        elif "reference" in message:
            self.measuring(str(message["reference"]), bool(message.get("measuring")))

    def line(self) -> str:
        now = time.monotonic()
        with self.lock:
            running = sorted(self.running.items(), key=lambda item: item[1])
            references = sorted(self.references.items(), key=lambda item: item[1])
            done = self.done
        parts = [self._running(exercise_id, now - since) for exercise_id, since in running]
        parts += [f"{exercise_id}: computing the reference's results {now - since:.0f} s"
                  for exercise_id, since in references]
        if not parts:
            parts = [self.phase or f"checking {len(self.exercises)} exercise(s) in {self.folder}"]
        total = len(self.exercises)
        return (f"{done}/{total} done · " if total > 1 else "") + "; ".join(parts)  # the count first: never cut

    def _running(self, exercise_id: str, seconds: float) -> str:
        exercise = self.exercises.get(exercise_id)
        if exercise is None:
            return f"{exercise_id}: running {seconds:.0f} s"
        # Its first case's function: the one that runs first, and the one a student who sees it hang looks at.
        function = exercise.function_of(exercise.cases_for(PUBLIC_ONLY)[0]).name
        limit = sandbox.case_limits(exercise.timeout_seconds).wall_seconds
        return f"{exercise_id}: running {function}() {seconds:.0f} s / limit {limit:.0f} s"


def _starting(progress: Progress) -> None:
    progress.phase = "starting the warm grader (TensorFlow loads once)"
    if not sys.stderr.isatty():  # like the spinner: only for a person at a terminal
        return
    terminal.note("starting the warm grader: TensorFlow loads once, later checks skip it "
                "(`tfgrade daemon stop` ends it)")


def _assignments_folder(path: Path | None) -> Path:
    from autograder.errors import UsageError

    if path is None:
        path = Path("assignments") if Path("assignments").is_dir() else Path(".")
    if not path.is_dir():
        raise UsageError(f"{path} is not a folder")
    return path.resolve()

"""A batch's students spread over Dask workers: ``tfgrade grade --scheduler ADDRESS`` or ``--cluster local:N``.

A worker grades whole students, exactly as a local batch's threads do (``batch.grade_remotely``), with its
own forkserver and sandbox, started on its first student. It decides nothing the client could not: the
client (``tfgrade grade``) computes the reference first, then writes each student's files as their
result comes back, so resuming, the progress bar and the gradebook are the local batch's own code.

A worker that dies takes the students it was grading with it; the scheduler gives them to another
worker (Dask retries a task whose worker died ``distributed.scheduler.allowed-failures`` times, 3 by
default), and since a student's files are written only when their whole result is back, nothing
half-graded is ever kept. A student still not graded after that is reported and graded by the next run.

Workers are trusted grader processes, like the client: they receive the course's data key (never the
secret) and must run the same kit, course and libraries, which each checks against the client's
grader version before grading anything. Students' code never runs in them, only in their children.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from autograder import exercises as registry
from autograder import sandbox
from autograder.course import Course, datasets
from autograder.errors import UsageError
from autograder.grading.reference import ComputedReference
from autograder.sandbox import confine

START_TOPIC = "tfgrade-student-started"  # the event a worker logs when it starts a student (the progress bar)


class WorkerMismatch(UsageError):
    """A worker runs another kit, course or library version than the client: its grades would differ."""


@dataclass(frozen=True)
class WorkerContext:
    """What a worker needs besides the student: the same grader as the client's, the data key and the
    output folder to hide from children. It runs children one per core (``TFGRADE_JOBS``: another count)."""

    grader_version: str
    exercise_ids: tuple[str, ...]
    data_key: str | None
    out: str


def parse_cluster(spec: str) -> int:
    """``local:N`` -> N, the number of local worker processes."""
    kind, _, count = spec.partition(":")
    if kind != "local" or not count.isdigit() or int(count) < 1:
        raise UsageError(f"--cluster takes local:N (N worker processes on this machine), not {spec!r}")
    return int(count)


@contextmanager
def dask_executor(*, scheduler: str | None = None, local_workers: int | None = None,
                  on_start: Callable[[str], None] | None = None) -> Iterator[Executor]:
    """An executor whose ``submit`` runs on Dask workers: those of the scheduler at ``scheduler`` (an
    address such as ``tcp://host:8786``, or a scheduler file written by ``dask scheduler --scheduler-file``),
    or of a ``LocalCluster`` of ``local_workers`` processes on loopback, closed at the end."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--scheduler and --cluster need Dask: pip install -e '.[cluster]'") from None
    with ExitStack() as stack:
        if scheduler is None:
            cores = sandbox.cores()
            # The grader's children use multiprocessing, which daemonic worker processes may not.
            stack.enter_context(dask.config.set({"distributed.worker.daemon": False}))
            # One thread per worker process, one child slot per core they share: the children use
            # every core, as a local batch's do (TFGRADE_JOBS is read by each worker's sandbox).
            cluster = stack.enter_context(LocalCluster(
                n_workers=local_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.CRITICAL, memory_limit=0,
                env={"TFGRADE_JOBS": str(max(1, cores // local_workers))}))
            client = stack.enter_context(Client(cluster))
        elif Path(scheduler).is_file():
            client = stack.enter_context(Client(scheduler_file=scheduler))
        else:
            client = stack.enter_context(Client(scheduler))
        if on_start is not None:
            client.subscribe_topic(START_TOPIC, lambda event: on_start(event[1]["student"]))
        executor = client.get_executor(pure=False)
        executor.client = client  # for callers that watch the workers (the tests kill one)
        yield executor


def report_start(student: str) -> None:
    """On a worker: tell the client's progress bar that ``student`` is being graded."""
    try:
        from distributed import get_worker

        get_worker().log_event(START_TOPIC, {"student": student})
    except (ImportError, ValueError):
        pass  # not on a Dask worker


_prepare_lock = threading.Lock()
_prepared_for: dict[WorkerContext, tuple] = {}
_keyed = ExitStack()


def prepared(context: WorkerContext):
    """This worker's reference and exercises for ``context``, checked against the client's grader and
    set up once per process: its data key, the output folder hidden from children, its forkserver."""
    with _prepare_lock:
        if context in _prepared_for:
            return _prepared_for[context]
        if multiprocessing.current_process().daemon:
            raise WorkerMismatch("this Dask worker is a daemonic process, which may not start the grader's "
                                 "children: start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
        # The data key first: the reference's cache files, and so the grader's version, depend on it.
        _keyed.enter_context(datasets.keyed(context.data_key))  # for the process' life: one batch per worker
        exercises = registry.select(list(context.exercise_ids))
        reference = ComputedReference(Course.locate())
        if reference.version(exercises) != context.grader_version:
            raise WorkerMismatch(f"the Dask worker on {os.uname().nodename} runs another kit, course, solution or "
                                 f"library version than `tfgrade grade` (its course: {reference.course.root}): "
                                 "install the same checkout on every worker")
        confine.hide(Path(context.out))
        sandbox.warm_up()
        _prepared_for[context] = (reference, exercises)
        return reference, exercises


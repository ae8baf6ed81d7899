"""Running and measuring cases: each case in an untrusted child, what it handed back in a trusted child.

The same ``run_and_measure`` serves the reference solution and every submission, so both are observed
under exactly the same conditions. Deciding points is ``grading.grade``'s work.
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from autograder import sandbox
from autograder.course import datasets
from autograder.errors import BadArtifact
from autograder.sandbox import artifacts, confine
from autograder.sandbox.artifacts import OBSERVATIONS
from autograder.spec import Case, Exercise, data_arrays

MEASURE_LIMITS = sandbox.Limits(wall_seconds=600, cpu_seconds=1200)
# How long a submission's measuring may take, relative to the reference's measuring of the same cases
# (``measure_limits``): FACTOR times as long, at least FLOOR seconds, never more than MEASURE_LIMITS. A
# valid alternative may well be 2-3 times the reference's size (so 2-3 times its training time), and the
# reference may have been measured on a quieter or faster machine (the instructor's, for a student
# bundle's check) than the one grading: 10 leaves room for both at once. The floor covers a measuring
# child's own start and loading, which a reference measured in well under a second says nothing of.
# A model cheap to save but costly to train is then stopped after a minute or so, not ten.
MEASURE_FACTOR = 10
MEASURE_FLOOR_SECONDS = 60.0
# The reserved observation under which every measured case records how long its measuring took, in
# seconds (``{"value": seconds}``): its loading and measurements, plus its share of the measuring child's
# start. The reference's cached observations carry it to its submissions' limits; no check reads it.
MEASURE_SECONDS = "_measure_seconds"
BUDGET_SECONDS = 20 * 60  # a submission's grading time, all its exercises together; TFGRADE_BUDGET overrides


def budget_seconds() -> float:
    """A submission's grading time budget: ``BUDGET_SECONDS``, or ``TFGRADE_BUDGET`` (seconds)."""
    override = os.environ.get("TFGRADE_BUDGET", "").strip()
    return float(override) if override else BUDGET_SECONDS


class Deadline:
    """The end of one submission's grading time budget, shared by all its exercises' children.

    Each child of the submission, run or measuring, is stopped at the deadline if its own wall-clock
    limit has not stopped it before (``stop_by`` of ``sandbox.run_isolated``); once it has passed, no
    child starts and the cases left fail with ``message``. Case limits alone let a submission that
    sleeps just under each of them cost minutes per exercise; an honest submission never comes near
    the budget, so its grades do not depend on it. The reference has no deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    @property
    def spent(self) -> bool:
        return time.monotonic() >= self.ends

    def message(self, what: str = "not run") -> str:
        return f"{what}: this submission used its grading time budget of {_duration(self.seconds)}"


def _duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:g} s"


@dataclass(frozen=True)
class CaseRun:
    """How one case went in the student's child: ``failure`` is None when it handed back a result."""

    case: Case
    failure: str | None
    observations: dict[str, Any]
    stdout: str = ""


def run_and_measure(exercise: Exercise, source: Path, cases: tuple[Case, ...], workdir: Path,
                    seed: int | None = None, reference: dict[str, Any] | None = None,
                    measure_once: bool = False, deadline: Deadline | None = None) -> dict[str, CaseRun]:
    """Run every case of ``source`` in isolation, then measure the ones that handed something back.

    The cases are dealt to the exercise's ``run_children`` children (see ``deal``), which run side by
    side, as many as the sandbox has slots (one per core); each child runs its cases one after
    another, each afresh, since a fresh child pays TensorFlow's first-use costs again (0.1-0.25 s
    here). A worker measures all the cases it ran in one trusted child, since a measuring child's
    start costs as much as measuring a small model; with ``measure_once``, one child measures every
    case after all have run, which costs less when other exercises keep the cores busy meanwhile.
    ``seed`` replaces every case's and recipe's seed (calibration only); ``reference`` is the
    reference's observations, which measurements may reuse where they would be identical. ``deadline``
    is the submission's (see ``Deadline``); the reference's runs have none."""
    # Why the cases left are not run: a submission that hung or filled its folder once would again, and
    # another child would cost that time or that disk once more.
    halted: dict[str, str] = {}
    waiting = iter(deal(cases, exercise.run_children))
    take = threading.Lock()

    def work() -> list[CaseRun | _Ran]:
        """Run groups until none wait; measure them in this worker's own child unless ``measure_once``."""
        finished: list[CaseRun | _Ran] = []
        while True:
            with take:
                group = next(waiting, None)
            if group is None:
                break
            finished += _run_group(exercise, source, group, workdir, seed, halted, deadline)
        if measure_once:
            return finished
        ran = [run for run in finished if isinstance(run, _Ran)]
        return [run for run in finished if isinstance(run, CaseRun)] + _measure(exercise, ran, workdir, seed,
                                                                                reference or {}, deadline)

    workers = max(1, min(len(cases), exercise.run_children, sandbox.slots()))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(work) for _ in range(workers)]
        done = {run.case.name: run for future in futures for run in future.result()}
    unmeasured = [run for case in cases if isinstance(run := done[case.name], _Ran)]  # measure_once only
    done.update({run.case.name: run for run in _measure(exercise, unmeasured, workdir, seed, reference or {},
                                                       deadline)})
    return {case.name: done[case.name] for case in cases}


# How a run child ended that stops the exercise's other cases, and the words that say so.
HALTING = {"timeout": "timed out", "overfull": "filled its folder"}


def deal(cases: tuple[Case, ...], children: int) -> list[tuple[Case, ...]]:
    """The cases each of ``children`` children runs, in order: dealt round-robin, the public cases and the
    hidden ones apart. A child can write anything into the folders of its cases, the ones already done
    among them: one that ran a hidden case could rewrite a public case's result with that case's
    arguments, and a student reads public results.

    The grouping is the exercise's, not the machine's, so a public case follows the same cases in its
    child whether a check or a full grading runs it: a submission whose cases leave state behind scores
    alike everywhere."""
    public = tuple(case for case in cases if not case.hidden)
    hidden = tuple(case for case in cases if case.hidden)
    return [group for part in (public, hidden) for group in (part[start::children] for start in range(children))
            if group]


def _run_group(exercise: Exercise, source: Path, group: tuple[Case, ...], workdir: Path, seed: int | None,
               halted: dict[str, str], deadline: Deadline | None) -> list[CaseRun | _Ran]:
    """Run ``group`` in one untrusted child. A case that hands nothing back (its child crashed, hung, filled
    its folder or exited) fails alone: the cases after it run in a new child, unless a child of the
    exercise hung or filled its folder (``halted`` says so) or the submission's ``deadline`` has passed."""
    if group and deadline is not None and deadline.spent:
        return [CaseRun(case, deadline.message(), {}) for case in group]
    if not group or halted:
        return [CaseRun(case, f"not run: an earlier case of this exercise {halted['why']}", {}) for case in group]
    group_dir = workdir / f"_run-{group[0].name}"
    for case in group:
        (group_dir / case.name).mkdir(parents=True)
    limits = sandbox.case_limits(exercise.timeout_seconds)
    outcome = sandbox.run_isolated(
        "autograder.children.run:run_cases",
        {"source": str(source.resolve()), "calls": {case.name: case_call(exercise, case, seed) for case in group}},
        workdir=group_dir, limits=replace(limits, cpu_seconds=limits.cpu_seconds * len(group)),
        confinement=confine.for_submission(source.resolve().parent),
        steps_done=lambda: sum(_handed_back(group_dir / case.name) for case in group),
        stop_by=deadline.ends if deadline is not None else None)
    runs: list[CaseRun | _Ran] = []
    for index, case in enumerate(group):
        run_dir = group_dir / case.name
        stdout, stderr = sandbox.read_output(run_dir, limits)
        if _handed_back(run_dir):
            failure = _run_failure(exercise, case, run_dir)
            runs.append(_Ran(case, run_dir, stdout) if failure is None else CaseRun(case, failure, {}, stdout))
            continue
        if outcome.status == "timeout" and deadline is not None and deadline.spent:
            failure = deadline.message(f"{exercise.function_of(case).name}() was stopped")
        else:
            if outcome.status in HALTING:
                halted.setdefault("why", HALTING[outcome.status])
            failure = _ended_early(exercise, case, outcome, stderr or outcome.stderr)
        runs.append(CaseRun(case, failure, {}, stdout))
        return runs + _run_group(exercise, source, group[index + 1:], workdir, seed, halted, deadline)
    return runs


def case_call(exercise: Exercise, case: Case, seed: int | None) -> dict[str, Any]:
    """All that a run child learns of its case: the function to call, what it must return, the
    arguments (data arrays built here, from files the child cannot read, under this process' data key)
    and the seed. Nothing says which cases exist, which are hidden or whether this is a check or a
    grading, and never the data key: a child that had it could rebuild the test split."""
    seed = case.seed if seed is None else seed
    function = exercise.function_of(case)
    arrays = data_arrays(case, seed)
    return {"function": function.name, "returns": function.returns, "seed": seed,
            "kwargs": {key: arrays.get(key, value) for key, value in case.kwargs.items()}}


def case_measurements(exercise: Exercise, case: Case, seed: int | None) -> dict[str, Any]:
    """What the measuring child takes of a case: each of its checks' observations, once per key, and
    the facts it needs (input shape, seed). Calibration's ``seed`` reseeds them under their usual keys."""
    observations: dict[str, Any] = {}
    for check in exercise.checks_for(case):
        key = check.observation.key
        if key not in observations:
            observations[key] = check.observation if seed is None else check.observation.reseeded(seed)
    return {"observations": observations, "input_shape": case.input_shape,
            "seed": case.seed if seed is None else seed}


@dataclass(frozen=True)
class _Ran:
    """A case whose child handed back a result, waiting to be measured."""

    case: Case
    run_dir: Path
    stdout: str


def _measure(exercise: Exercise, ran: list[_Ran], workdir: Path, seed: int | None,
             reference: dict[str, Any], deadline: Deadline | None = None, alone: bool = False) -> list[CaseRun]:
    """Measure runs in one trusted child (no student code runs there). If that child crashes, each run
    is measured alone, so that a model which breaks the measurer costs only its own case; if it runs out
    of time (its own limit or the submission's ``deadline``), the runs fail at once: measuring them
    again, alone, would only take that time again."""
    if not ran:
        return []
    if deadline is not None and deadline.spent:
        return [CaseRun(r.case, deadline.message("not measured"), {}, r.stdout) for r in ran]
    measure_dir = workdir / f"_measure-{ran[0].case.name}{'-alone' if alone else ''}"
    limits, reference_took = measure_limits([r.case for r in ran], reference)
    # The measuring child (trusted) loads the test splits itself: under the same data key as this process.
    outcome = sandbox.run_isolated("autograder.children.measure:measure_runs",
                                   {"runs": {r.case.name: {"run_dir": str(r.run_dir),
                                                           "reference": without_measure_seconds(
                                                               reference.get(r.case.name, {})),
                                                           **case_measurements(exercise, r.case, seed)} for r in ran},
                                    "data_key": datasets.current_key()},
                                   workdir=measure_dir, limits=limits,
                                   stop_by=deadline.ends if deadline is not None else None)
    try:
        measured = artifacts.read_json(measure_dir / OBSERVATIONS) if outcome.ok else {}
    except BadArtifact:
        measured = {}
    if isinstance(measured, dict) and all(isinstance(measured.get(r.case.name), dict) for r in ran):
        timed = _timed({r.case.name: measured[r.case.name] for r in ran}, outcome.seconds)
        return [CaseRun(r.case, None, timed[r.case.name], r.stdout) for r in ran]
    if outcome.status == "timeout":
        def stopped(case: Case) -> str:
            function = exercise.function_of(case)
            what = f"the grader stopped measuring what {function.name}() returned"
            if deadline is not None and deadline.spent:
                return deadline.message(what)
            if reference_took is None:
                return f"{what} after {limits.wall_seconds:g} s, its time limit"
            same = f" for the same {len(ran)} cases" if len(ran) > 1 else ""
            doing = "training" if function.returns == "model" else "measuring"
            return (f"the grader stopped {doing} what {function.name}() returned after "
                    f"{_seconds(limits.wall_seconds)} s; the reference takes {_seconds(reference_took)} s{same} "
                    "(is the model much bigger, or much slower to train, than it needs to be?)")
        return [CaseRun(r.case, stopped(r.case), {}, r.stdout) for r in ran]
    if len(ran) > 1:
        return [run for r in ran for run in _measure(exercise, [r], workdir, seed, reference, deadline, alone=True)]
    (only,) = ran
    return [CaseRun(only.case, f"the grader could not measure what {exercise.function_of(only.case).name}() "
                               f"returned: the measuring process {outcome.describe()}{_last_lines(outcome.stderr)}",
                    {}, only.stdout)]


def measure_limits(cases: list[Case], reference: dict[str, Any]) -> tuple[sandbox.Limits, float | None]:
    """The limits of a child measuring ``cases`` of a submission, and how long the reference's measuring
    of them took (None when unknown): ``MEASURE_FACTOR`` times that, at least ``MEASURE_FLOOR_SECONDS``,
    at most ``MEASURE_LIMITS``. The reference itself (no ``reference``), and a submission graded against
    a reference that recorded no time (a cache or bundle older than ``MEASURE_SECONDS``), get
    ``MEASURE_LIMITS``. The submission's deadline still stops the child sooner (``stop_by``)."""
    times = [recorded_seconds(reference.get(case.name)) for case in cases]
    if not cases or any(seconds is None for seconds in times):
        return MEASURE_LIMITS, None
    took = sum(seconds for seconds in times if seconds is not None)
    wall = min(MEASURE_LIMITS.wall_seconds, max(MEASURE_FLOOR_SECONDS, MEASURE_FACTOR * took))
    return replace(MEASURE_LIMITS, wall_seconds=wall), took


def recorded_seconds(observations: Any) -> float | None:
    """How long measuring a case took, as its observations record it (``MEASURE_SECONDS``), if they do."""
    entry = observations.get(MEASURE_SECONDS) if isinstance(observations, dict) else None
    value = entry.get("value") if isinstance(entry, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def without_measure_seconds(observations: dict[str, Any]) -> dict[str, Any]:
    """Observations less ``MEASURE_SECONDS``: what the measuring child may reuse of the reference's, and
    what two measurings of the same run have in common."""
    return {key: value for key, value in observations.items() if key != MEASURE_SECONDS}


def _timed(measured: dict[str, dict[str, Any]], child_seconds: float) -> dict[str, dict[str, Any]]:
    """Each case's observations with ``MEASURE_SECONDS``: the time the measuring child spent on it (as it
    recorded it) plus an equal share of the rest of the child's time (its start, its data), so that the
    cases of one child add up to the whole child however a later measuring groups them."""
    recorded = [recorded_seconds(observations) for observations in measured.values()]
    own = [seconds or 0.0 for seconds in recorded] if None not in recorded else [0.0] * len(measured)
    share = max(0.0, child_seconds - sum(own)) / len(measured)
    return {name: {**observations, MEASURE_SECONDS: {"value": round(seconds + share, 3)}}
            for (name, observations), seconds in zip(measured.items(), own)}


def _seconds(seconds: float) -> str:
    return f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.1f}"


def _run_failure(exercise: Exercise, case: Case, run_dir: Path) -> str | None:
    """Why a case that wrote its result did not succeed, if it did not."""
    try:
        result = artifacts.read_result(run_dir)
    except BadArtifact as exc:
        return f"{exercise.function_of(case).name}() handed back an unreadable result: {exc}"
    return None if result["status"] == "ok" else result["message"]


def _handed_back(run_dir: Path) -> bool:
    """Whether the case's child left a result behind: anything by that name counts (without following
    a link), and reading it (``artifacts.read_result``) decides whether it is one."""
    return os.path.lexists(run_dir / artifacts.RESULT)


def _ended_early(exercise: Exercise, case: Case, outcome: sandbox.ChildOutcome, stderr: str) -> str:
    """Why a case's child ended before the case wrote its result."""
    function = exercise.function_of(case).name
    if outcome.ok:
        return f"{function}() ended without handing back a result (did the code exit the process?)"
    return f"{function}() {outcome.describe()}" + _last_lines(stderr)


def _last_lines(text: str, count: int = 5) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()][-count:]
    return ("; its last error output:\n" + "\n".join(lines)) if lines else ""

"""The reference solution's observations: measured once per content hash, then read from a cache.

In a course checkout they are computed from ``solutions/`` through exactly the pipeline a submission
goes through, and cached under ``.tfgrade/cache`` keyed by the solution, its specification and the
kit's own code, so a change to any of them recomputes. A student bundle ships the public cases'
observations in ``autograder/reference_public.json`` instead (see ``tfgrade release``).
"""

from __future__ import annotations

import fcntl
import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator, Protocol

import autograder.exercises
from autograder import children, course, errors, measure, sandbox, spec
from autograder.course import PUBLIC_REFERENCE, Course, datasets, fingerprint, versions
from autograder.errors import ReferenceFailure
from autograder.grading import runs
from autograder.sandbox import artifacts, scratch
from autograder.spec import Case, Exercise

# What decides a measurement: every file of the packages a child runs or is handed (an exercise's own
# spec is keyed per exercise), the registry, the exceptions and the runner that deals cases to children. Reports,
# exports and the CLI are left out so that working on them does not recompute every reference. Modules,
# not names: a package that moves breaks this import instead of silently leaving the key.
MEASURING_PACKAGES: tuple[ModuleType, ...] = (children, course, measure, sandbox, spec)
MEASURING_MODULES: tuple[ModuleType, ...] = (autograder.exercises, errors, runs)


def measuring_code() -> list[Path]:
    """The files whose content keys every reference: the measuring packages' folders, read whole."""
    folders = [Path(package.__file__).parent for package in MEASURING_PACKAGES]
    return folders + [Path(module.__file__) for module in MEASURING_MODULES]


class Reference(Protocol):
    """Where the reference's observations come from: computed in a checkout, shipped in a bundle."""

    def observations(self, exercise: Exercise, cases: tuple[Case, ...]) -> dict[str, dict[str, Any]]: ...


# Told when a reference is measured: (exercise, True) before, (exercise, False) after, also when it failed.
OnMeasure = Callable[[Exercise, bool], None]


class ComputedReference:
    """Observations of ``solutions/``, computed on demand and cached by content hash. ``on_measure`` is
    told when an exercise's observations are measured rather than read from the cache (minutes, the first
    time: commands show it)."""

    def __init__(self, course: Course, on_measure: OnMeasure | None = None) -> None:
        self.course = course
        self.on_measure = on_measure

    def cached(self, exercise: Exercise, cases: tuple[Case, ...]) -> bool:
        """Whether the observations of ``cases`` are in the cache already (no measuring needed)."""
        cached = _read(self.cache_file(exercise))
        return all(case.name in cached for case in cases)

    def source(self, exercise: Exercise) -> Path:
        return self.course.solutions / exercise.filename

    def cache_file(self, exercise: Exercise) -> Path:
        """Keyed by content; observations on the splits of a data key (``datasets.keyed``) are kept apart
        from the public ones, in a file that names a hash of that key."""
        exercise_spec = Path(autograder.exercises.__file__).parent / exercise.filename
        key = fingerprint(self.source(exercise), exercise_spec, *measuring_code()) + _versions()
        return self.course.cache / f"{exercise.module_name}-{fingerprint_text(key)[:20]}{_data_part()}.json"

    def version(self, exercises: list[Exercise]) -> str:
        """Changes whenever a solution, a spec, the kit or a library version changes."""
        return fingerprint_text("|".join(self.cache_file(e).name for e in exercises))

    def observations(self, exercise: Exercise, cases: tuple[Case, ...]) -> dict[str, dict[str, Any]]:
        path = self.cache_file(exercise)
        path.parent.mkdir(parents=True, exist_ok=True)
        # One process measures while the others (parallel tests, batch commands) wait, then read its result.
        with _exclusive(path.with_suffix(".lock")):
            return self._measured(exercise, cases, path)

    def _measured(self, exercise: Exercise, cases: tuple[Case, ...], path: Path) -> dict[str, dict[str, Any]]:
        cached: dict[str, Any] = _read(path)
        missing = tuple(case for case in cases if case.name not in cached)
        if missing:
            workdir = Path(scratch.mkdtemp(prefix=f"tfgrade-ref-{exercise.id}-"))
            if self.on_measure:
                self.on_measure(exercise, True)
            try:
                measured = runs.run_and_measure(exercise, self.source(exercise), missing, workdir)
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
                if self.on_measure:
                    self.on_measure(exercise, False)
            for name, run in measured.items():
                if run.failure:
                    raise ReferenceFailure(f"the reference solution of {exercise.id} failed on case {name!r}: "
                                         f"{run.failure}")
                errors = {k: v["error"] for k, v in run.observations.items() if "error" in v}
                if errors:
                    raise ReferenceFailure(f"measuring the reference of {exercise.id} case {name!r} failed: {errors}")
                cached[name] = run.observations
            for stale in path.parent.glob(f"{exercise.module_name}-*.json"):
                if stale != path and _same_data(stale, path):  # a file of another data key is not stale
                    stale.unlink(missing_ok=True)
            artifacts.write_json(path, cached)
        return {case.name: cached[case.name] for case in cases}


class ShippedReference:
    """Observations shipped with a student bundle: public cases only."""

    def __init__(self, path: Path = PUBLIC_REFERENCE) -> None:
        self.data = json.loads(path.read_text()) if path.is_file() else {}

    def observations(self, exercise: Exercise, cases: tuple[Case, ...]) -> dict[str, dict[str, Any]]:
        shipped = self.data.get(exercise.id, {})
        missing = [case.name for case in cases if case.name not in shipped]
        if missing:
            raise ReferenceFailure(f"this bundle has no reference results for {exercise.id} {missing}; "
                                 "ask your instructor for a fresh `tfgrade release`")
        return {case.name: shipped[case.name] for case in cases}


class Watched:
    """A reference that tells ``on_ready`` when an exercise's observations are ready: grading asks for them
    first (``grading.grade.grade_exercise``), so this is when the exercise's children start to run."""

    def __init__(self, reference: Reference, on_ready: Callable[[Exercise], None]) -> None:
        self.reference, self.on_ready = reference, on_ready

    def observations(self, exercise: Exercise, cases: tuple[Case, ...]) -> dict[str, dict[str, Any]]:
        observed = self.reference.observations(exercise, cases)
        self.on_ready(exercise)
        return observed


def for_course(checkout: Course) -> Reference:
    return ComputedReference(checkout) if checkout.has_solutions else ShippedReference()


def fingerprint_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _data_part() -> str:
    """``-key<tag>`` under a data key, nothing for the public splits (the public files keep their names)."""
    key = datasets.current_key()
    return "" if key is None else f"-key{datasets.key_tag(key)}"


def _same_data(first: Path, second: Path) -> bool:
    """Whether two cache files of one exercise hold observations on the same data (public, or one key)."""
    def data(path: Path) -> str:
        parts = path.stem.rsplit("-", 1)
        return parts[1] if len(parts) == 2 and parts[1].startswith("key") else ""

    return data(first) == data(second)


def _versions() -> str:
    return "|".join(versions.installed(package) for package in versions.MEASURING)


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        yield


def _read(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}

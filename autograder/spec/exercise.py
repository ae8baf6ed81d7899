"""The declarative specification of an exercise: its task, the functions to write, cases and checks.

An exercise module in ``autograder/exercises`` builds one ``Exercise``. The reference code lives in
``solutions/<id>_<slug>.py``; the student stub in ``assignments/`` is generated from both (see
``autograder.spec.stubs``). Cases that students must never see sit between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS`` markers, which ``tfgrade release`` strips, as nbgrader does for notebooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Mapping

if TYPE_CHECKING:
    from autograder.spec.checks import Check

PUBLIC = "public"
HIDDEN = "hidden"
Visibility = Literal["public", "hidden"]
Visibilities = frozenset[str]
PUBLIC_ONLY: Visibilities = frozenset({PUBLIC})  # what a student's check runs
ALL: Visibilities = frozenset({PUBLIC, HIDDEN})  # what an instructor's grading runs

# What a student's function must return; `autograder.children.handback` knows how to hand each one back.
Returns = Literal["model", "history", "value", "dataset", "callback"]


@dataclass(frozen=True)
class Function:
    """A function the student writes, e.g. ``Function("build_model", returns="model")``."""

    name: str
    returns: Returns


# ---------------------------------------------------------------------------------------------------
# Inputs the grader makes before any student code is imported: arrays in the grading process, models
# in the child.
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provided:
    """A case argument that the grader builds, not the test's author (data arrays, a model to train)."""

    def materialize(self, seed: int) -> Any:  # pragma: no cover - interface
        """Build the value; ``seed`` is the case's seed."""
        raise NotImplementedError


@dataclass(frozen=True)
class DataArray(Provided):
    """One array of a named dataset, split by the case's seed: ``DataArray("digits_images", "train", "x")``.
    Only ``train`` and ``val`` exist here: the ``test`` split never reaches a student's process. The
    grading process builds the array and hands it to the child (see ``data_arrays``)."""

    dataset: str
    split: Literal["train", "val"]
    part: Literal["x", "y"]

    def materialize(self, seed: int) -> Any:
        from autograder.course import datasets

        if self.split not in ("train", "val"):
            raise ValueError("students' code only ever receives the train and val splits")
        return datasets.load(self.dataset, seed=seed).array(self.split, self.part)

    def __str__(self) -> str:
        return f"{self.part}_{self.split} of {self.dataset}"


def data_arrays(case: Case, seed: int) -> dict[str, Any]:
    """The case's ``DataArray`` arguments, built under ``seed`` (the case's own, or calibration's)."""
    return {key: value.materialize(seed) for key, value in case.kwargs.items() if isinstance(value, DataArray)}


@dataclass(frozen=True)
class GivenModel(Provided):
    """A model built by one of the kit's own factories (``autograder.course.givens``), compiled and ready to fit."""

    factory: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def materialize(self, seed: int) -> Any:
        from autograder.course import givens
        from autograder.sandbox import determinism

        determinism.seed_everything(seed)
        return getattr(givens, self.factory)(**self.kwargs)

    def __str__(self) -> str:
        return f"a compiled {self.factory} model"


@dataclass(frozen=True)
class Case:
    """One call of a student function, run the same way for the student and for the reference.

    ``input_shape`` builds a model that was returned without an ``Input``. ``seed`` splits the case's
    data and seeds the child before the call, so that anything random in it is reproducible.
    """

    name: str
    kwargs: Mapping[str, Any]
    function: str | None = None
    hidden: bool = False
    input_shape: tuple[int, ...] | None = None
    seed: int = 0

    @property
    def visibility(self) -> Visibility:
        return HIDDEN if self.hidden else PUBLIC

    def call_str(self, function: str) -> str:
        """``build_model(input_dim=30, hidden_units=(64, 32))``, as feedback quotes it."""
        args = ", ".join(f"{key}={_short(value)}" for key, value in self.kwargs.items())
        return f"{function}({args})"


def _short(value: Any) -> str:
    return f"<{value}>" if isinstance(value, Provided) else repr(value)


@dataclass(frozen=True)
class Misconception:
    """A known wrong submission: the reference with ``edits`` (``(old, new)`` pairs) applied fails exactly
    the checks ``fails`` (``"<case>.<check>"`` ids), and the message of the first contains ``says``.

    The exercise's tests grade each one (``tests/contract.py``), and grading names the one whose ``fails``
    a student's failed checks equal ("looks like: softmax applied twice"). The edits are fragments of the
    reference solution: declare misconceptions between hidden-test markers, so that no bundle holds them.
    ``slow`` ones (long training) run in the extended test tier only."""

    name: str
    fails: tuple[str, ...]
    edits: tuple[tuple[str, str], ...] = ()
    says: str = ""
    slow: bool = False

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Exercise:
    """Everything the kit knows about one exercise; each fact is stated once, here or in the solution."""

    number: int
    slug: str
    title: str
    concept: str
    task: str
    functions: tuple[Function, ...]
    cases: tuple[Case, ...]
    checks: tuple["Check", ...]
    keras3_notes: str = ""
    timeout_seconds: float = 120.0
    # How many children share the cases (see grading.deal): one where a case takes milliseconds, since a
    # child's start costs more; two where the student's function trains, so a check uses two cores.
    run_children: int = 1
    # The kit's known wrong submissions, instructor-only (declared inside hidden-test markers).
    misconceptions: tuple[Misconception, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9_]+", self.slug):
            raise ValueError(f"exercise slug must be snake_case: {self.slug!r}")
        names = [case.name for case in self.cases]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: case names repeat: {names}")
        if self.run_children < 1:
            raise ValueError(f"{self.id}: run_children must be at least 1")
        if [case.visibility for case in self.cases] != sorted((case.visibility for case in self.cases),
                                                               key=(PUBLIC, HIDDEN).index):
            raise ValueError(f"{self.id}: public cases must come before hidden ones (see grading.deal)")
        function_names = {function.name for function in self.functions}
        for case in self.cases:
            if self.function_of(case).name not in function_names:
                raise ValueError(f"{self.id}: case {case.name!r} calls an unknown function")
        for check in self.checks:
            self._refuse_contradictions(check, names, function_names)
        self._refuse_unknown_failures()

    def _refuse_unknown_failures(self) -> None:
        """A misconception fails checks that exist, each named once, and misconceptions' names differ."""
        known = set(self.check_ids())
        seen: set[str] = set()
        for misconception in self.misconceptions:
            if misconception.name in seen:
                raise ValueError(f"{self.id}: misconception names repeat: {misconception.name!r}")
            seen.add(misconception.name)
            unknown = [check_id for check_id in misconception.fails if check_id not in known]
            if unknown or not misconception.fails or len(set(misconception.fails)) != len(misconception.fails):
                raise ValueError(f"{self.id}: misconception {misconception.name!r} must fail checks that exist, "
                                 f"each once: {unknown or list(misconception.fails)}")

    def _refuse_contradictions(self, check: "Check", case_names: list[str], function_names: set[str]) -> None:
        """A check must name existing cases and functions and apply to at least one case, as Keras'
        ``run_layer_test`` refuses contradictory expectations before doing any work."""
        what = f"{self.id}: {type(check).__name__}"
        unknown = [name for name in (check.cases or ()) if name not in case_names]
        if unknown:
            raise ValueError(f"{what} names cases that do not exist: {unknown}; the cases are {case_names}")
        if check.function is not None and check.function not in function_names:
            raise ValueError(f"{what} names function {check.function!r}, which the exercise does not declare: "
                             f"{sorted(function_names)}")
        if not any(check.applies_to(case.name, self.function_of(case).name) for case in self.cases):
            raise ValueError(f"{what} applies to no case: its cases {list(check.cases or ())} do not call "
                             f"{check.function!r}")

    @property
    def id(self) -> str:
        return f"ex{self.number:02d}"

    @property
    def module_name(self) -> str:
        return f"{self.id}_{self.slug}"

    @property
    def filename(self) -> str:
        return f"{self.module_name}.py"

    def function_of(self, case: Case) -> Function:
        name = case.function or self.functions[0].name
        return next((f for f in self.functions if f.name == name), Function(name, "value"))

    def case(self, name: str) -> Case:
        for case in self.cases:
            if case.name == name:
                return case
        raise KeyError(f"{self.id} has no case {name!r}")

    def cases_for(self, visibilities: Visibilities) -> tuple[Case, ...]:
        return tuple(case for case in self.cases if case.visibility in visibilities)

    def checks_for(self, case: Case) -> tuple["Check", ...]:
        function = self.function_of(case).name
        return tuple(check for check in self.checks if check.applies_to(case.name, function))

    def check_ids(self, visibilities: Visibilities = ALL) -> tuple[str, ...]:
        """``("default.layer_types", ...)``: every check of every case, as results name them."""
        return tuple(f"{case.name}.{check.id}" for case in self.cases_for(visibilities) for check in self.checks_for(case))

    def possible_points(self, visibilities: Visibilities = ALL) -> float:
        return sum(check.points for case in self.cases_for(visibilities) for check in self.checks_for(case))

    def matches(self, name: str) -> bool:
        """True for ``6``, ``06``, ``ex6``, ``ex06``, ``conv2d``, ``ex06_conv2d`` or ``ex06_conv2d.py``."""
        name = name.strip().lower().removesuffix(".py")
        number = name.removeprefix("ex")
        return name in {self.id, self.slug, self.module_name} or (number.isdigit() and int(number) == self.number)

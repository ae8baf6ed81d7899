"""Check kinds: each compares one observation of the submission with the same observation of the
reference solution on the same case, and says exactly what differs.

Exercise specifications use them declaratively, the way Keras' ``run_layer_test`` states expectations::

    checks=(
        LayerTypes(points=2),
        OutputShapes(points=2),
        ParamCounts(points=2),
        LayerConfig(points=1),
        MetricAtLeast(Trained(Recipe("breast_cancer")), margin=0.04, points=3, cases=("default",)),
    )

Comparison runs in the deciding process on plain data and never imports TensorFlow.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, ClassVar

from autograder.measure.observations import Observation, ReturnedValue, Summary
from autograder.measure.probes.training import CallbackSettings, TrainingRun
from autograder.measure.summary import LayerInfo, ModelSummary, format_shape

MAX_DIFFERENCES = 3  # differences named per message; more are counted, not listed


@dataclass(frozen=True)
class Verdict:
    passed: bool
    message: str


@dataclass(frozen=True)
class Check:
    points: float = 1.0
    cases: tuple[str, ...] | None = None  # None: every case of the exercise
    function: str | None = None  # only cases that call this function
    kind: ClassVar[str] = "check"
    title: ClassVar[str] = "check"

    @property
    def id(self) -> str:
        return self.kind

    @property
    def observation(self) -> Observation:  # pragma: no cover - interface
        raise NotImplementedError

    def applies_to(self, case: str, function: str) -> bool:
        return (self.cases is None or case in self.cases) and self.function in (None, function)

    def compare(self, student: Any, reference: Any) -> Verdict:  # pragma: no cover - interface
        raise NotImplementedError


# ----------------------------------------------------------------------------------- model structure


@dataclass(frozen=True)
class _SummaryCheck(Check):
    @property
    def observation(self) -> Observation:
        return Summary()

    def compare(self, student: Any, reference: Any) -> Verdict:
        return self.compare_summaries(ModelSummary.from_dict(student), ModelSummary.from_dict(reference))

    def compare_summaries(self, student: ModelSummary, reference: ModelSummary) -> Verdict:
        raise NotImplementedError  # pragma: no cover - interface


@dataclass(frozen=True)
class LayerTypes(_SummaryCheck):
    """The same layer classes in the same order (a subclass of the expected class is accepted)."""

    kind: ClassVar[str] = "layer_types"
    title: ClassVar[str] = "layer types"

    def compare_summaries(self, student: ModelSummary, reference: ModelSummary) -> Verdict:
        expected = [layer.cls for layer in reference.layers]
        got = [_matching_class(layer, set(expected)) for layer in student.layers]
        if got == expected:
            return Verdict(True, f"{len(expected)} layers as expected: {', '.join(expected)}")
        # Align by class and size, so that an extra Dense(32) before Dense(10) is named, not the Dense(10);
        # then report only the pairs whose class differs, and the missing and extra layers.
        differences = [_layer_difference(ref, stu) for ref, stu in _aligned(reference, student, key=LayerInfo.describe)
                       if ref is None or stu is None or not stu.is_a(ref.cls)]
        if not differences:  # sizes lined up in a way that hides the class change: align by class alone
            differences = [_layer_difference(ref, stu) for ref, stu in _aligned(reference, student, key=_class_of)
                           if ref is None or stu is None or not stu.is_a(ref.cls)]
        head = (f"expected {len(expected)} layers, got {len(got)}; " if len(got) != len(expected) else "")
        return Verdict(False, head + _listing(differences))


@dataclass(frozen=True)
class OutputShapes(_SummaryCheck):
    """Every layer's output shape, batch dimension as None."""

    kind: ClassVar[str] = "output_shapes"
    title: ClassVar[str] = "output shapes"

    def compare_summaries(self, student: ModelSummary, reference: ModelSummary) -> Verdict:
        if len(student.layers) != len(reference.layers):
            return Verdict(False, f"expected {len(reference.layers)} layers ending in "
                                  f"{format_shape(reference.output_shape)}, got {len(student.layers)} layers "
                                  f"ending in {format_shape(student.output_shape)}")
        differences = [
            f"layer {ref.index} {ref.describe()}: expected output {format_shape(ref.output_shape)}, "
            f"got {format_shape(stu.output_shape)}"
            for ref, stu in zip(reference.layers, student.layers) if _shape(ref) != _shape(stu)
        ]
        if differences:
            return Verdict(False, _listing(differences))
        return Verdict(True, f"all {len(reference.layers)} output shapes match, ending in "
                             f"{format_shape(reference.output_shape)}")


@dataclass(frozen=True)
class ParamCounts(_SummaryCheck):
    """Trainable and non-trainable parameters, per layer and in total."""

    kind: ClassVar[str] = "param_counts"
    title: ClassVar[str] = "parameter counts"

    def compare_summaries(self, student: ModelSummary, reference: ModelSummary) -> Verdict:
        differences: list[str] = []
        if len(student.layers) == len(reference.layers):
            for ref, stu in zip(reference.layers, student.layers):
                for label, r, s in (("trainable", ref.trainable_params, stu.trainable_params),
                                    ("non-trainable", ref.non_trainable_params, stu.non_trainable_params)):
                    if r != s:
                        differences.append(f"layer {ref.index} {ref.describe()}: expected {r:,} {label} "
                                           f"parameters, got {s:,}")
        totals = (f"{reference.trainable_params:,} trainable + {reference.non_trainable_params:,} "
                  f"non-trainable")
        if (student.trainable_params, student.non_trainable_params) != (
                reference.trainable_params, reference.non_trainable_params):
            differences.append(f"in total: expected {totals}, got {student.trainable_params:,} trainable + "
                               f"{student.non_trainable_params:,} non-trainable")
        if differences:
            return Verdict(False, _listing(differences))
        return Verdict(True, f"{totals} parameters, as expected")


@dataclass(frozen=True)
class LayerConfig(_SummaryCheck):
    """Every layer's whole configuration, normalized in the summary (``CONFIG_RULES``): any argument that
    changes what a layer does (dropout, momentum, initializers, strides, ...) must match the reference's.

    ``free`` names settings the exercise's task says are the student's choice; ``seed`` is free unless
    ``fixed`` names it (a task that says which seed to pass). Keys given positionally limit the
    comparison to those keys alone (``LayerConfig("units")``), as specs written before the whole
    configuration was compared did.
    """

    keys: tuple[str, ...] = ()  # () compares every key
    free: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    kind: ClassVar[str] = "layer_config"
    title: ClassVar[str] = "layer configuration"
    FREE_BY_DEFAULT: ClassVar[tuple[str, ...]] = ("seed",)

    def __init__(self, *keys: str, free: tuple[str, ...] = (), fixed: tuple[str, ...] = (), points: float = 1.0,
                 cases: tuple[str, ...] | None = None, function: str | None = None) -> None:
        _init(self, keys=keys, free=tuple(free), fixed=tuple(fixed), points=points, cases=cases, function=function)

    @property
    def ignored(self) -> frozenset[str]:
        return frozenset(self.free) | (frozenset(self.FREE_BY_DEFAULT) - frozenset(self.fixed))

    def _compared(self) -> str:
        return ", ".join(self.keys) if self.keys else "the configuration"

    def compare_summaries(self, student: ModelSummary, reference: ModelSummary) -> Verdict:
        if len(student.layers) != len(reference.layers):
            return Verdict(False, f"cannot compare {self._compared()} layer by layer: expected "
                                  f"{len(reference.layers)} layers, got {len(student.layers)}")
        differences = [difference for ref, stu in zip(reference.layers, student.layers)
                       for difference in self._layer_differences(ref, stu)]
        if differences:
            return Verdict(False, _listing(differences))
        if self.keys:
            return Verdict(True, f"{', '.join(self.keys)} match on every layer")
        free = sorted(self.ignored)
        return Verdict(True, "every layer's configuration matches" + (f" ({', '.join(free)} free)" if free else ""))

    def _layer_differences(self, ref: LayerInfo, stu: LayerInfo) -> list[str]:
        """Each differing key named with the reference's value and the student's own, the layer named as
        the student wrote it. A student's layer of another class is left to ``LayerTypes``, which names it:
        the same key can mean another thing in another class."""
        if not stu.is_a(ref.cls):
            return []
        keys = self.keys or tuple(sorted(ref.config))
        out = []
        for key in keys:
            if key in self.ignored or key not in ref.config:
                continue
            expected = ref.config[key]
            if key not in stu.config:
                out.append(f"layer {stu.index} {stu.describe()}: {key} expected {_setting(expected)}, got no {key}")
                continue
            got = stu.config[key]
            if not _close(got, expected, 1e-9):
                shown_expected, shown_got = _setting(expected), _setting(got)
                if shown_expected == shown_got:  # equal texts for different values: say what each is
                    shown_expected += f" ({type(expected).__name__})"
                    shown_got += f" ({type(got).__name__})"
                out.append(f"layer {stu.index} {stu.describe()}: {key} expected {shown_expected}, got {shown_got}")
        return out


def _setting(value: Any) -> str:
    """A configuration value as written in Python: ``0.0``, ``'relu'``, ``(3, 3)``, ``None``."""
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_setting(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_setting(v)}" for k, v in value.items()) + "}"
    return repr(value)


# ----------------------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class MetricAtLeast(Check):
    """A metric measured by the grader must reach the reference's value on the same recipe, less a
    margin calibrated over several seeds (``python -m autograder.grading.calibrate``)."""

    measured_by: Observation = field(default=None)  # type: ignore[assignment]
    margin: float = 0.05
    kind: ClassVar[str] = "metric"
    title: ClassVar[str] = "held-out accuracy"

    def __init__(self, measured_by: Observation, *, margin: float, points: float = 1.0,
                 cases: tuple[str, ...] | None = None, function: str | None = None) -> None:
        _init(self, measured_by=measured_by, margin=margin, points=points, cases=cases, function=function)

    @property
    def observation(self) -> Observation:
        return self.measured_by

    def threshold(self, reference: Any) -> float:
        return round(reference["metric"] - self.margin, 4)

    def compare(self, student: Any, reference: Any) -> Verdict:
        value, needed = student["metric"], self.threshold(reference)
        describe = (getattr(self.measured_by, "describe", None)
                    or getattr(getattr(self.measured_by, "recipe", None), "describe", lambda: "as returned"))
        how = describe()
        text = (f"accuracy {value:.3f} on held-out data ({how}); needs at least {needed:.3f} "
                f"(reference {reference['metric']:.3f} - {self.margin:g})")
        return Verdict(math.isfinite(value) and value >= needed, text)


# ------------------------------------------------------------------------------ training behaviour


@dataclass(frozen=True)
class CallbackMatches(Check):
    """The returned callback is of the reference's class with the reference's settings (``verbose``
    aside; ``mode="auto"`` read as the direction Keras infers from the monitor's name)."""

    kind: ClassVar[str] = "callback"
    title: ClassVar[str] = "callback settings"

    @property
    def observation(self) -> Observation:
        return CallbackSettings()

    def compare(self, student: Any, reference: Any) -> Verdict:
        if student["class_name"] != reference["class_name"]:
            return Verdict(False, f"expected a {reference['class_name']} callback, got {student['class_name']}")
        got, expected = _callback_settings(student), _callback_settings(reference)
        differences = [f"{name}={got.get(name)!r}, expected {value!r}" for name, value in expected.items()
                       if not _close(got.get(name), value, 1e-9)]
        if differences:
            return Verdict(False, f"{student['class_name']}: " + _listing(differences))
        return Verdict(True, f"{student['class_name']} with the expected settings")


@dataclass(frozen=True)
class HistoryMatches(Check):
    """The history the student's training returned matches the reference's training on the same inputs,
    epoch by epoch: the same model, data, batch size, epochs and seed train to the same values, so a
    fabricated history, other data or other settings show. ``tolerance`` (relative) leaves room for
    float differences between machines only: one wrong setting moves the first epoch's values by ~1e-2."""

    dataset: str = ""
    tolerance: float = 1e-3
    hint: str = ""
    kind: ClassVar[str] = "history"
    title: ClassVar[str] = "training history"

    def __init__(self, dataset: str, *, points: float = 1.0, hint: str = "", tolerance: float = 1e-3,
                 cases: tuple[str, ...] | None = None, function: str | None = None) -> None:
        _init(self, dataset=dataset, hint=hint, tolerance=tolerance, points=points, cases=cases, function=function)

    @property
    def observation(self) -> Observation:
        return TrainingRun(self.dataset)

    def compare(self, student: Any, reference: Any) -> Verdict:
        got, expected = student["history"], reference["history"]
        hint = f"; {self.hint}" if self.hint else ""
        missing = sorted(set(expected) - set(got))
        if missing:
            return Verdict(False, f"the history has no {', '.join(map(repr, missing))} (keys: "
                                  f"{', '.join(sorted(got)) or 'none'}){hint}")
        epochs, expected_epochs = len(next(iter(got.values()), [])), len(next(iter(expected.values()), []))
        if any(len(got[key]) != len(values) for key, values in expected.items()):
            return Verdict(False, f"training ran {epochs} epochs; the reference's training on the same data ran "
                                  f"{expected_epochs}{hint}")
        for epoch in range(expected_epochs):
            for key, values in expected.items():
                if not _close(got[key][epoch], values[epoch], self.tolerance):
                    return Verdict(False, f"epoch {epoch + 1}: {key} {got[key][epoch]:.4f}, the reference's training "
                                          f"on the same data {values[epoch]:.4f}{hint}")
        return Verdict(True, f"all {epochs} epochs match the reference's training")


@dataclass(frozen=True)
class WeightsMatch(Check):
    """The weights the student's training kept (the returned model, or the checkpoint file ``filename``)
    predict held-out examples as the reference's kept weights do."""

    dataset: str = ""
    filename: str = ""
    tolerance: float = 1e-3
    hint: str = ""
    kind: ClassVar[str] = "weights"
    title: ClassVar[str] = "kept weights"

    def __init__(self, dataset: str, filename: str = "", *, points: float = 1.0, hint: str = "",
                 tolerance: float = 1e-3, cases: tuple[str, ...] | None = None, function: str | None = None) -> None:
        _init(self, dataset=dataset, filename=filename, hint=hint, tolerance=tolerance, points=points, cases=cases,
              function=function)

    @property
    def id(self) -> str:
        return "checkpoint" if self.filename else "weights"

    @property
    def observation(self) -> Observation:
        return TrainingRun(self.dataset, self.filename)

    def compare(self, student: Any, reference: Any) -> Verdict:
        what = f"the checkpoint {self.filename}" if self.filename else "the returned model"
        got, expected = student["predictions"], reference["predictions"]
        if isinstance(got, str):
            return Verdict(False, got)
        if not isinstance(got, list) or len(got) != len(expected):
            return Verdict(False, f"{what} does not output one score per example as the reference's does")
        gap = max((abs(a - b) for a, b in zip(got, expected)), default=0.0)
        if gap <= self.tolerance:
            return Verdict(True, f"{what} holds the weights the reference's training keeps")
        return Verdict(False, f"{what} predicts held-out examples up to {gap:.3f} apart from the weights the "
                              f"reference's training keeps" + (f"; {self.hint}" if self.hint else ""))


def _callback_settings(callback: dict[str, Any]) -> dict[str, Any]:
    settings = {k: v for k, v in callback["settings"].items() if k != "verbose"}
    if settings.get("mode") == "auto" and isinstance(settings.get("monitor"), str):
        settings["mode"] = "min" if settings["monitor"].endswith("loss") else "max"
    return settings


# ----------------------------------------------------------------------------------- plain values


@dataclass(frozen=True)
class ValueEquals(Check):
    """A returned number, list or dict equals the reference's, of the kind the reference's is, as the task
    texts word it: where the reference returns an int (a count, a size, a padding), the student's must be
    an int too and equal, and a float is refused even when it is equal; where the reference returns a
    float, a number within a relative ``tolerance`` passes, an int included. A bool is never a number.
    Messages quote the student's own value, and name the type or nesting where that is what differs."""

    tolerance: float = 1e-6
    kind: ClassVar[str] = "value"
    title: ClassVar[str] = "returned value"

    @property
    def observation(self) -> Observation:
        return ReturnedValue()

    def compare(self, student: Any, reference: Any) -> Verdict:
        wrong_int = _float_for_int(student, reference, ())
        if wrong_int is not None:
            path, expected, got = wrong_int
            at = f"at {''.join(f'[{key!r}]' for key in path)}: " if path else ""
            return Verdict(False, f"{at}expected an int ({_value(expected)}), got the float {got!r}: return an "
                                  "integer, e.g. int(...)")
        if _equal_value(student, reference, self.tolerance):
            return Verdict(True, f"returned {_value(student)}, as expected")
        return Verdict(False, _value_difference(student, reference))


def _float_for_int(student: Any, reference: Any, path: tuple) -> tuple[tuple, int, float] | None:
    """The first place (a path of list indexes and dict keys) where the reference holds an int and the
    student's value a float, with both values."""
    if _is_int(reference) and isinstance(student, float):
        return path, reference, student
    if isinstance(reference, list) and isinstance(student, list):
        pairs = enumerate(zip(student, reference))
    elif isinstance(reference, dict) and isinstance(student, dict):
        pairs = ((key, (student[key], reference[key])) for key in reference if key in student)
    else:
        return None
    for key, (got, expected) in pairs:
        found = _float_for_int(got, expected, (*path, key))
        if found is not None:
            return found
    return None


def _equal_value(student: Any, reference: Any, tolerance: float) -> bool:
    """Ints equal exactly; a float reference within ``tolerance`` of any number but a bool; lists and
    dicts item by item."""
    if _is_int(reference):
        return _is_int(student) and student == reference
    if isinstance(reference, float):
        return (isinstance(student, (int, float)) and not isinstance(student, bool)
                and math.isclose(student, reference, rel_tol=tolerance, abs_tol=tolerance))
    if isinstance(reference, list):
        return (isinstance(student, list) and len(student) == len(reference)
                and all(_equal_value(s, r, tolerance) for s, r in zip(student, reference)))
    if isinstance(reference, dict):
        return (isinstance(student, dict) and student.keys() == reference.keys()
                and all(_equal_value(student[k], reference[k], tolerance) for k in reference))
    return type(student) is type(reference) and student == reference


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value_difference(student: Any, reference: Any) -> str:
    """``expected X, got Y``, with the types named when they differ (``the list [5]``, ``the int 5``) and
    the nesting described when two lists differ in it, so that no difference hides."""
    if _form(student) != _form(reference):
        note = ""
        if isinstance(student, list) and isinstance(reference, list):
            nesting = "the nesting differs, " if _depth(student) != _depth(reference) else ""
            note = f": {nesting}{_describe(reference)} expected, got {_describe(student)}"
        return f"expected {_typed(reference)}, got {_typed(student)}{note}"
    expected, got = _value(reference), _value(student)
    if expected == got:  # different values that print alike (e.g. floats equal in 6 digits)
        expected, got = repr(reference), repr(student)
    return f"expected {expected}, got {got}"


def _noun(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "list", dict: "dict"}.get(type(value), type(value).__name__)


def _form(value: Any) -> Any:
    """What a value is made of, lengths and number types aside: ``[[1, 2]]`` and ``[[3.5], [4]]`` alike,
    ``[1, 2]``, ``[[1, 2]]`` and ``["1"]`` not."""
    if isinstance(value, list):
        return ("list", frozenset(_form(item) for item in value))
    return _noun(value)


def _depth(value: Any) -> int:
    return 1 + max((_depth(item) for item in value), default=0) if isinstance(value, list) else 0


def _describe(items: list) -> str:
    """``a list of 1 list of 3 numbers``, ``a list of 2 items``, ``an empty list``."""
    return f"a list of {_counted(items)}" if items else "an empty list"


def _counted(items: list) -> str:
    nouns = {_noun(item) for item in items}
    noun = nouns.pop() if len(nouns) == 1 else "item"
    inner = {_counted(item) for item in items} if noun == "list" else set()
    return (f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"
            + (f" of {inner.pop()}" if len(inner) == 1 else ""))


def _typed(value: Any) -> str:
    """A value with its type: ``the list [5]``, ``the int 5``, ``the float 5.0``, ``None``."""
    return "None" if value is None else f"the {type(value).__name__} {_value(value)}"


def _close(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, tolerance) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tolerance) for k in a)
    return a == b


# ---------------------------------------------------------------------------------------- helpers


def _init(check: Check, **fields: Any) -> None:
    """Set the fields of a frozen check from a custom, more readable __init__."""
    for name, value in fields.items():
        object.__setattr__(check, name, value)


def _matching_class(layer: LayerInfo, expected: set[str]) -> str:
    """The expected class this layer is an instance of, if any; otherwise its own class."""
    return next((base for base in layer.bases if base in expected), layer.cls)


def _class_of(layer: LayerInfo) -> str:
    return layer.cls


def _aligned(reference: ModelSummary, student: ModelSummary, key: Any) -> list[tuple[LayerInfo | None, LayerInfo | None]]:
    """Pairs of (reference, student) layers outside the runs that match by ``key``; None for a gap."""
    matcher = difflib.SequenceMatcher(a=[key(x) for x in reference.layers], b=[key(x) for x in student.layers],
                                      autojunk=False)
    pairs = []
    for op, r1, r2, s1, s2 in matcher.get_opcodes():
        if op != "equal":
            pairs.extend(zip_longest(reference.layers[r1:r2], student.layers[s1:s2]))
    return pairs


def _layer_difference(reference: LayerInfo | None, student: LayerInfo | None) -> str:
    if student is None:
        assert reference is not None
        return f"layer {reference.index}: expected {reference.describe_with_shape()}, got nothing (missing)"
    if reference is None:
        return f"layer {student.index}: unexpected {student.describe_with_shape()} (extra)"
    return f"layer {student.index}: expected {reference.describe_with_shape()}, got {student.describe_with_shape()}"


def _listing(differences: list[str]) -> str:
    shown = differences[:MAX_DIFFERENCES]
    more = len(differences) - len(shown)
    return "; ".join(shown) + (f"; and {more} more difference{'s' if more > 1 else ''}" if more else "")


def _shape(layer: LayerInfo) -> tuple | None:
    return None if layer.output_shape is None else tuple(layer.output_shape)


def _value(value: Any, nested: bool = False) -> str:
    """A value as the student would print it: ``[[0.0, 1.0], [1.0, 0.0]]``, ``{'params': 64}``, ``2.0`` for a
    float, ``2,080`` for an int on its own (no thousands separator inside a list, where commas separate
    items); a tuple (a shape) as ``(8, 8, 1)``."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_value(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, nested=True) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_value(v, nested=True)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        text = f"{value:g}"
        if text.lstrip("-").isdigit():  # integral in 6 digits: show it is a float, or all its digits
            text = text + ".0" if float(text) == value else repr(value)
        return text
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if nested else f"{value:,}"
    return repr(value)


# ------------------------------------------------------------ probed properties and batches


@dataclass(frozen=True)
class PropertyMatches(Check):
    """One property the grader measured itself (an entry ``{"value", "note"}`` of an observation such as
    ``AugmenterProbe``) equals the reference's; the message quotes what was measured, and ``hint`` on
    failure. The check's id is the property's name, so one case can hold several.

    A property the probe could not assess because another one failed (its entry names that prerequisite
    under ``"unassessed"``, its note says "not assessed: <prerequisite> failed (...)") fails with its note
    alone: the reference's note and the hint would only advise on something the student may have right."""

    measured_by: Observation = field(default=None)  # type: ignore[assignment]
    name: str = ""
    tolerance: float = 1e-6
    hint: str = ""
    kind: ClassVar[str] = "property"

    def __init__(self, measured_by: Observation, name: str, *, points: float = 1.0, hint: str = "",
                 tolerance: float = 1e-6, cases: tuple[str, ...] | None = None, function: str | None = None) -> None:
        _init(self, measured_by=measured_by, name=name, tolerance=tolerance, hint=hint, points=points, cases=cases,
              function=function)

    @property
    def id(self) -> str:
        return self.name

    @property
    def title(self) -> str:  # type: ignore[override]
        return self.name.replace("_", " ")

    @property
    def observation(self) -> Observation:
        return self.measured_by

    def compare(self, student: Any, reference: Any) -> Verdict:
        got, expected = student[self.name], reference[self.name]
        if got.get("unassessed"):
            return Verdict(False, got["note"])
        if _close(got["value"], expected["value"], self.tolerance):
            return Verdict(True, got["note"])
        return Verdict(False, f"{got['note']}; expected: {expected['note']}" + (f"; {self.hint}" if self.hint else ""))


@dataclass(frozen=True)
class BatchMatches(Check):
    """A batch of images the grader measured (``observation[name]``, one nested list per image) equals the
    reference's within ``tolerance``: the same augmentation under the same seed moves the same pixels."""

    measured_by: Observation = field(default=None)  # type: ignore[assignment]
    name: str = "batch"
    tolerance: float = 1e-3
    hint: str = ""
    kind: ClassVar[str] = "batch"
    title: ClassVar[str] = "augmented pixels"

    def __init__(self, measured_by: Observation, *, points: float = 1.0, hint: str = "", name: str = "batch",
                 tolerance: float = 1e-3, cases: tuple[str, ...] | None = None, function: str | None = None) -> None:
        _init(self, measured_by=measured_by, name=name, tolerance=tolerance, hint=hint, points=points, cases=cases,
              function=function)

    @property
    def observation(self) -> Observation:
        return self.measured_by

    def compare(self, student: Any, reference: Any) -> Verdict:
        got, expected = student[self.name], reference[self.name]
        if _dims(got) != _dims(expected):
            return Verdict(False, f"the augmented batch has shape {_value(_dims(got))}, the reference's "
                                  f"{_value(_dims(expected))}")
        differing = [i for i, (a, b) in enumerate(zip(got, expected)) if not _close(a, b, self.tolerance)]
        if not differing:
            return Verdict(True, f"all {len(expected)} augmented images equal the reference's, pixel for pixel")
        largest = max(abs(a - b) for i in differing for a, b in zip(_flat(got[i]), _flat(expected[i])))
        return Verdict(False, f"{len(differing)} of {len(expected)} augmented images differ from the reference's "
                              f"(first image {differing[0]}, largest pixel difference {largest:.3f})"
                              + (f"; {self.hint}" if self.hint else ""))


def _dims(nested: Any) -> tuple[int, ...]:
    dims: list[int] = []
    while isinstance(nested, list):
        dims.append(len(nested))
        nested = nested[0] if nested else None
    return tuple(dims)


def _flat(nested: Any) -> list[float]:
    if isinstance(nested, list):
        return [value for item in nested for value in _flat(item)]
    return [nested]


# ------------------------------------------------------------------ equivalence by behaviour


@dataclass(frozen=True)
class EquivalentByBehaviour(Check):
    """A structural check (``LayerTypes``, ``OutputShapes``, ``ParamCounts``, ``LayerConfig``) that also
    accepts layers differing from the reference's where an exercise's task allows equivalent models
    (``Dense(64, activation="relu")`` or ``Dense(64)`` + ``Activation("relu")``, ``ReLU()`` for
    ``Activation("relu")``), if the model computes the reference's function: with the reference's weights
    (``probes.equivalence``) its outputs on a probe batch equal the reference's, in inference and in training
    mode. Only a different sequence of layer classes is judged by behaviour; where the classes pair one to
    one, the wrapped check's verdict stands. ``LayerConfig`` then still compares the layers that pair up by
    class, activation aside (the outputs vouch for it), so initializers, regularizers and momentum count.
    The check keeps the wrapped check's id, title and points: ``EquivalentByBehaviour(LayerTypes(points=2))``.
    """

    wrapped: Check = field(default=None)  # type: ignore[assignment]

    def __init__(self, check: Check) -> None:
        if not isinstance(check, _SummaryCheck):
            raise TypeError(f"EquivalentByBehaviour wraps a structural check, not {type(check).__name__}")
        _init(self, wrapped=check, points=check.points, cases=check.cases, function=check.function)

    @property
    def id(self) -> str:
        return self.wrapped.id

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.wrapped.kind

    @property
    def title(self) -> str:  # type: ignore[override]
        return self.wrapped.title

    @property
    def observation(self) -> Observation:
        from autograder.measure.probes.equivalence import ModelEquivalence

        return ModelEquivalence()

    def compare(self, student: Any, reference: Any) -> Verdict:
        from autograder.measure.probes.equivalence import compare_behaviour

        got, expected = ModelSummary.from_dict(student["summary"]), ModelSummary.from_dict(reference["summary"])
        assert isinstance(self.wrapped, _SummaryCheck)
        verdict = self.wrapped.compare_summaries(got, expected)
        if verdict.passed or (len(got.layers) == len(expected.layers)
                              and all(s.is_a(r.cls) for s, r in zip(got.layers, expected.layers))):
            return verdict
        same, note = compare_behaviour(student["probe"], reference["probe"], _names(got), _names(expected))
        if not same:
            return Verdict(False, f"{verdict.message}; {note}")
        if isinstance(self.wrapped, LayerConfig):
            paired = LayerConfig(*self.wrapped.keys, free=(*self.wrapped.free, "activation"), fixed=self.wrapped.fixed)
            differences = [difference for r, s in _paired_by_class(expected, got)
                           for difference in paired._layer_differences(r, s)]
            if differences:
                return Verdict(False, _listing(differences))
        counts = ("", "") if len(got.layers) == len(expected.layers) else (f"{len(got.layers)} ", f"{len(expected.layers)} ")
        return Verdict(True, f"{counts[0]}layers {', '.join(x.cls for x in got.layers)} where the reference has "
                             f"{counts[1]}layers {', '.join(x.cls for x in expected.layers)}, computing the same function: "
                             f"{note}")


def _names(summary: ModelSummary) -> list[str]:
    """Each leaf layer as a message names it: ``layer 3 Dense(32)``, ``layer 4 Activation('tanh')``."""
    def name(layer: LayerInfo) -> str:
        if layer.cls == "Activation" and "activation" in layer.config:
            return f"layer {layer.index} Activation({layer.config['activation']!r})"
        return f"layer {layer.index} {layer.describe()}"

    return [name(layer) for layer in summary.layers]


def _paired_by_class(reference: ModelSummary, student: ModelSummary) -> list[tuple[LayerInfo, LayerInfo]]:
    """(reference, student) layers in the runs whose classes and sizes match (``LayerInfo.describe``), in order."""
    matcher = difflib.SequenceMatcher(a=[x.describe() for x in reference.layers],
                                      b=[x.describe() for x in student.layers], autojunk=False)
    return [(reference.layers[block.a + k], student.layers[block.b + k])
            for block in matcher.get_matching_blocks() for k in range(block.size)]

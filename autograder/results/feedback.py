"""``feedback.html``: what a student reads after grading, rendered from a ``GradingResult`` alone.

Per exercise: the checks with their points, then for every public case the student's model beside
the reference's (layers aligned by class, differing cells highlighted) and both learning curves on
one plot. Hidden cases appear only as passed or failed: no call, no model, no curve, no message.
The page is one self-contained file (inline CSS and SVG) so it can be mailed or uploaded anywhere.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from typing import Any

from autograder import __version__, templates
from autograder.measure.summary import LayerInfo, ModelSummary, format_shape
from autograder.results import ExerciseResult, GradingResult
from autograder.spec import PUBLIC

FILENAME = "feedback.html"


@dataclass(frozen=True)
class LayerRow:
    """One line of the side-by-side table; ``None`` on a side that has no matching layer."""

    student: LayerInfo | None
    reference: LayerInfo | None

    @property
    def differences(self) -> frozenset[str]:
        """Which columns differ: "layer", "shape", "params"."""
        s, r = self.student, self.reference
        if s is None or r is None:
            return frozenset({"layer", "shape", "params"})
        differs = set()
        if s.describe() != r.describe() or s.config.get("activation") != r.config.get("activation"):
            differs.add("layer")
        if s.output_shape != r.output_shape:
            differs.add("shape")
        if (s.trainable_params, s.non_trainable_params) != (r.trainable_params, r.non_trainable_params):
            differs.add("params")
        return frozenset(differs)


@dataclass(frozen=True)
class CaseView:
    name: str
    call: str
    failure: str | None
    rows: tuple[LayerRow, ...]
    plots: tuple[tuple[str, str], ...]  # (title, inline SVG)


def align_layers(student: ModelSummary | None, reference: ModelSummary | None) -> tuple[LayerRow, ...]:
    """Pair layers the way a reader would: equal layers side by side, a missing or extra layer on a row
    of its own, a changed layer beside the one it replaces."""
    mine = list(student.layers) if student else []
    theirs = list(reference.layers) if reference else []
    matcher = difflib.SequenceMatcher(a=[layer.describe() for layer in theirs], b=[layer.describe() for layer in mine],
                                      autojunk=False)
    rows: list[LayerRow] = []
    for _, r0, r1, s0, s1 in matcher.get_opcodes():
        rows.extend(LayerRow(s, r) for r, s in zip_longest(theirs[r0:r1], mine[s0:s1]))
    return tuple(rows)


def case_views(exercise: ExerciseResult) -> list[CaseView]:
    """The public cases that have a model, a curve or a failure to show; hidden ones never do."""
    views = []
    for name, details in exercise.details.items():
        if details.get("visibility") != PUBLIC:
            continue
        student, reference = details.get("student", {}), details.get("reference", {})
        rows = align_layers(_summary(student), _summary(reference))
        plots = tuple((curve_title(key), learning_curves(student.get("curves", {}).get(key), curve))
                      for key, curve in reference.get("curves", {}).items())
        if rows or plots or details.get("failure"):
            views.append(CaseView(name, details.get("call", name), details.get("failure"), rows, plots))
    return views


def curve_title(key: str) -> str:
    """``trained:digits_flat/seed0/e15/...`` -> ``Trained by the grader: digits_flat, 15 epochs``."""
    if key.startswith("trained:"):
        dataset, *rest = key.removeprefix("trained:").split("/")
        epochs = next((part[1:] for part in rest if re.fullmatch(r"e\d+", part)), "?")
        return f"Trained by the grader: {dataset}, {epochs} epochs"
    return "Your training run" if key == "history" else key


def learning_curves(student: dict[str, list[float]] | None, reference: dict[str, list[float]]) -> str:
    """One panel per metric (loss, accuracy, ...): the student's line solid, the reference's dashed."""
    # In a batch most students' curves repeat (the grader's training of the reference's architecture
    # is the reference's): draw each distinct pair once.
    return _learning_curves_svg(json.dumps([student, reference], sort_keys=True))


@lru_cache(maxsize=512)
def _learning_curves_svg(pair: str) -> str:
    student, reference = json.loads(pair)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    metrics = [m for m in _metric_order(reference) if reference.get(m)]
    panels = max(1, len(metrics))
    figure = Figure(figsize=(3.2 * panels, 2.6))
    # Fixed margins rather than a layout engine, and few ticks: drawing ticks and measuring their
    # labels is most of matplotlib's time, and a batch draws these for every student.
    figure.subplots_adjust(left=0.5 / (3.2 * panels), right=1 - 0.1 / (3.2 * panels), bottom=0.2, top=0.88,
                           wspace=0.35)
    for axes, metric in zip(figure.subplots(1, panels, squeeze=False)[0], metrics):
        epochs = range(1, len(reference[metric]) + 1)
        axes.plot(epochs, reference[metric], "--", color="#6b7280", label="reference")
        if student and student.get(metric):
            axes.plot(range(1, len(student[metric]) + 1), student[metric], color="#2563eb", label="yours")
        axes.set_title(metric, fontsize=10)
        axes.set_xlabel("epoch", fontsize=9)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
        axes.tick_params(labelsize=8)
        axes.grid(alpha=0.3)
    figure.axes[0].legend(fontsize=8)
    return _svg(figure)


def render(result: GradingResult) -> str:
    exercises = [(exercise, case_views(exercise)) for exercise in result.exercises]
    return _template().render(result=result, exercises=exercises, version=__version__, shape=format_shape)


def _summary(side: dict[str, Any]) -> ModelSummary | None:
    summary = side.get("summary")
    try:
        return ModelSummary.from_dict(summary) if isinstance(summary, dict) else None
    except (KeyError, TypeError, ValueError):
        return None  # an old or partial record: show nothing rather than fail the whole page


def _metric_order(history: dict[str, list[float]]) -> list[str]:
    """Training metrics first, each followed by its validation twin."""
    base = [m for m in history if not m.startswith("val_")]
    ordered = []
    for metric in base:
        ordered.append(metric)
        if f"val_{metric}" in history:
            ordered.append(f"val_{metric}")
    return ordered + [m for m in history if m not in ordered]


def _svg(figure: Any) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "tfgrade"}):  # text as text, stable ids
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML


@lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader

    environment = Environment(loader=FileSystemLoader(templates.FOLDER), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("feedback.html.j2")

"""``index.html`` in a batch's output folder: the class at a glance, for the instructor.

Score distributions (overall and per exercise), per exercise the checks students fail most with their
failure messages grouped (``normalize``), students whose code did not run apart from students whose
answer was wrong, and a link to every student's ``feedback.html``. Hidden cases' messages are shown:
the page is the instructor's, and says so at the top. Like ``feedback.html`` it is one self-contained
file (inline CSS and SVG), so it can be mailed or opened from anywhere.

A batch writes it from its results (``write``); ``rewrite`` rebuilds it from the ``result.json`` files
already in an output folder (``tfgrade export overview``), so that no grading is needed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from autograder import __version__, templates
from autograder import exercises as registry
from autograder.results import ExerciseResult, GradingResult, feedback, files
from autograder.spec import HIDDEN

FILENAME = "index.html"
SHOWN_GROUPS = 5  # message groups shown per check; the rest are counted
EXAMPLE_CHARS = 600  # an example message longer than this is cut: a traceback's end is on the student's page

# What varies between students who made the same mistake, replaced so that their messages group together.
_PATH = re.compile(r"(?<![\w.])(?:/[^\s/'\"():,;]+)+/?")  # a student's own folder in "searched /tmp/..."
_SHAPE = re.compile(r"\((?:None|\d+)(?:,\s*(?:None|\d+))+\s*\)|\((?:None|\d+),\)")  # (None, 6, 6, 32), (3,)
_KERNEL = re.compile(r"(?<![\w.])\d+x\d+(?![\w])")  # 3x3
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class MessageGroup:
    """Failures of one check whose messages differ only in numbers, shapes and paths."""

    pattern: str
    example: str  # one student's message as it was written
    count: int


@dataclass(frozen=True)
class CheckFailures:
    check_id: str
    case: str
    title: str
    visibility: str
    failed: int
    decided: int  # students whose case ran, so that the check decided something: errors are counted apart
    groups: tuple[MessageGroup, ...]

    @property
    def rate(self) -> float:
        return self.failed / self.decided if self.decided else 0.0

    @property
    def hidden(self) -> bool:
        return self.visibility == HIDDEN


@dataclass(frozen=True)
class StudentLine:
    name: str
    link: str  # the student's feedback.html, relative to the output folder
    score: float
    possible: float
    message: str = ""


@dataclass(frozen=True)
class ExerciseOverview:
    exercise: str
    title: str
    possible: float
    scores: tuple[float, ...]  # one per student, as grades.csv has them (0 for a student without it)
    checks: tuple[CheckFailures, ...]  # failed at least once, most often failed first
    errors: tuple[StudentLine, ...]  # the code did not run to the end: nothing of it could be judged
    wrong: tuple[StudentLine, ...]  # it ran, and lost points
    # (name, students whose failed checks match it), most matched first: the exercise's known mistakes
    # (``Exercise.misconceptions``), and any other a result names (graded with another version of the kit).
    misconceptions: tuple[tuple[str, int], ...] = ()

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def full_marks(self) -> int:
        return sum(score >= self.possible for score in self.scores) if self.possible else 0


@dataclass(frozen=True)
class StudentRow:
    line: StudentLine
    scores: tuple[float, ...]  # per exercise, in the page's exercise order
    status: str  # as grades.csv words it


@dataclass(frozen=True)
class Overview:
    exercises: tuple[ExerciseOverview, ...]
    students: tuple[StudentRow, ...]
    possible: float
    graded: tuple[str, str]  # the first and last time a student was graded

    @property
    def totals(self) -> tuple[float, ...]:
        return tuple(row.line.score for row in self.students)

    @property
    def mean(self) -> float:
        return sum(self.totals) / len(self.totals) if self.totals else 0.0


def normalize(message: str) -> str:
    """The message with what differs between students who made the same mistake replaced: "got 16" and
    "got 8" both read "got N", a shape ``(None, 6, 6, 32)`` reads ``(…)``, a path reads ``…``."""
    text = _PATH.sub("…", message)
    text = _SHAPE.sub("(…)", text)
    text = _KERNEL.sub("NxN", text)
    return _SPACE.sub(" ", _NUMBER.sub("N", text)).strip()


def error_of(exercise: ExerciseResult) -> str | None:
    """Why the student's code did not run to the end, if it did not: the exercise could not be graded at
    all (a missing file, a syntax error, an archive that cannot be opened), or a case raised, timed out,
    crashed or ran out of the submission's time budget."""
    if exercise.status == "error":
        return exercise.message or "not graded"
    return next((d["failure"] for d in exercise.details.values() if isinstance(d, dict) and d.get("failure")),
                None)


def feedback_link(student: str) -> str:
    """The student's page relative to the output folder, as the batch names their folder, and escaped
    for a URL: a folder ``100%25`` (a student called ``100%``) is linked as ``100%2525``."""
    return f"{quote(files.student_folder(student))}/{feedback.FILENAME}"


def summarize(results: list[GradingResult]) -> Overview:
    results = sorted(results, key=lambda r: r.submission)  # grades.csv's order
    exercises = _exercise_order(results)
    overviews = tuple(_exercise(exercise_id, results) for exercise_id in exercises)
    rows = tuple(_student(result, exercises) for result in results)
    stamps = sorted(r.graded_at for r in results if r.graded_at)
    return Overview(overviews, rows, max((r.possible for r in results), default=0.0),
                    (stamps[0], stamps[-1]) if stamps else ("", ""))


def render(results: list[GradingResult]) -> str:
    overview = summarize(results)
    plots = {e.exercise: histogram(e.scores, e.possible) for e in overview.exercises}
    return _template().render(overview=overview, plots=plots, total_plot=histogram(overview.totals, overview.possible),
                              shown=SHOWN_GROUPS, version=__version__)


def write(results: list[GradingResult], out: Path) -> Path | None:
    """Write ``out/index.html``; nothing when a folder already has that name (a student's from a batch
    graded before the page existed)."""
    path = out / FILENAME
    if path.is_dir():
        return None
    out.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{FILENAME}.tmp")
    tmp.write_text(render(results))
    tmp.replace(path)
    return path


def from_folder(out: Path) -> list[GradingResult]:
    """Every student's result in a batch's output folder: each folder holding a readable ``result.json``
    (a folder left there by an earlier batch counts too; grades.csv lists only the last batch's)."""
    folders = sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    return [result for result in map(files.read_submission, folders) if result is not None]


def rewrite(out: Path) -> Path | None:
    return write(from_folder(out), out)


def histogram(scores: tuple[float, ...], possible: float) -> str:
    """One bar per point (or per twentieth of the points, past 20), full marks a bar of its own."""
    return _histogram_svg(tuple(scores), possible) if possible > 0 and scores else ""


# ------------------------------------------------------------------------------------------ internals


def _exercise_order(results: list[GradingResult]) -> list[str]:
    order: dict[str, None] = {}
    for result in results:
        order.update((e.exercise, None) for e in result.exercises)
    return list(order)


def _exercise(exercise_id: str, results: list[GradingResult]) -> ExerciseOverview:
    graded = [(r, next((e for e in r.exercises if e.exercise == exercise_id), None)) for r in results]
    present = [(r, e) for r, e in graded if e is not None]
    title = present[0][1].title if present else exercise_id
    possible = max((e.possible for _, e in present), default=0.0)
    errors, wrong = [], []
    for result, exercise in present:
        line = StudentLine(result.submission, feedback_link(result.submission), exercise.score, exercise.possible)
        error = error_of(exercise)
        if error:
            errors.append(StudentLine(line.name, line.link, line.score, line.possible, _cut(error)))
        elif exercise.score < exercise.possible:
            wrong.append(line)
    return ExerciseOverview(exercise_id, title, possible, tuple(e.score if e else 0.0 for _, e in graded),
                            _ranked_checks([e for _, e in present]), tuple(errors), tuple(wrong),
                            _misconceptions(exercise_id, [e for _, e in present]))


def _misconceptions(exercise_id: str, exercises: list[ExerciseResult]) -> tuple[tuple[str, int], ...]:
    """Each known misconception of the exercise with how many students' results are named after it, most
    first, then in the order the exercise declares them."""
    try:
        known = [m.name for m in registry.get(exercise_id).misconceptions]
    except KeyError:
        known = []
    counts = Counter(e.misconception for e in exercises if e.misconception)
    names = list(dict.fromkeys(known + list(counts)))
    return tuple(sorted(((name, counts[name]) for name in names), key=lambda item: (-item[1], names.index(item[0]))))


def _ranked_checks(exercises: list[ExerciseResult]) -> tuple[CheckFailures, ...]:
    """Checks by how often they failed among students whose case ran; a check that failed because the
    code did not run is that student's error, listed apart, not a failure of the check."""
    decided: Counter[str] = Counter()
    messages: dict[str, list[str]] = {}
    first: dict[str, Any] = {}
    for exercise in exercises:
        if exercise.status == "error":
            continue
        broken = {name for name, d in exercise.details.items() if isinstance(d, dict) and d.get("failure")}
        for check in exercise.checks:
            if check.case in broken:
                continue
            first.setdefault(check.check_id, check)
            decided[check.check_id] += 1
            if not check.passed:
                messages.setdefault(check.check_id, []).append(check.message)
    ranked = [CheckFailures(check_id, first[check_id].case, first[check_id].title, first[check_id].visibility,
                            len(failed), decided[check_id], _groups(failed))
              for check_id, failed in messages.items()]
    order = list(first)
    return tuple(sorted(ranked, key=lambda c: (-c.rate, -c.failed, order.index(c.check_id))))


def _groups(messages: list[str]) -> tuple[MessageGroup, ...]:
    examples: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for message in messages:
        pattern = normalize(message)
        examples.setdefault(pattern, message)
        counts[pattern] += 1
    return tuple(MessageGroup(pattern, _cut(examples[pattern]), count) for pattern, count in counts.most_common())


def _cut(message: str) -> str:
    return message if len(message) <= EXAMPLE_CHARS else message[:EXAMPLE_CHARS] + " …"


def _student(result: GradingResult, exercises: list[str]) -> StudentRow:
    scores = {e.exercise: e.score for e in result.exercises}
    errors = [e.exercise for e in result.exercises if e.status == "error"]
    unopened = files.submission_error(result)
    status = "graded" if not errors else f"error: {unopened}" if unopened else f"errors in {' '.join(errors)}"
    line = StudentLine(result.submission, feedback_link(result.submission), result.score, result.possible)
    return StudentRow(line, tuple(scores.get(e, 0.0) for e in exercises), status)


def _bins(possible: float) -> list[float]:
    """Edges centred on 0, 1, ... possible points (at most 21 bars), so that full marks stand alone."""
    bars = min(20, max(1, math.ceil(possible)))
    width = possible / bars
    return [width * (i - 0.5) for i in range(bars + 2)]


@lru_cache(maxsize=256)
def _histogram_svg(scores: tuple[float, ...], possible: float) -> str:
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(4.2, 2.2))
    # Fixed margins and few ticks, as feedback's curves: measuring tick labels is most of the time.
    figure.subplots_adjust(left=0.14, right=0.97, bottom=0.22, top=0.95)
    axes = figure.add_subplot()
    counts, edges = np.histogram(scores, bins=_bins(possible))
    drawn = counts > 0  # bars for the scores someone has: a third faster than axes.hist, which draws them all
    axes.bar(((edges[:-1] + edges[1:]) / 2)[drawn], counts[drawn], width=np.diff(edges)[drawn], color="#2563eb",
             edgecolor="white")
    axes.set_xlim(edges[0], edges[-1])
    axes.set_xlabel("points", fontsize=9)
    axes.set_ylabel("students", fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=8))
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.tick_params(labelsize=8)
    axes.grid(axis="y", alpha=0.3)
    return feedback._svg(figure)


@lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader

    environment = Environment(loader=FileSystemLoader(templates.FOLDER), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["points"] = lambda value: f"{value:g}"
    environment.filters["percent"] = lambda value: f"{100 * value:.0f}%"
    return environment.get_template("overview.html.j2")

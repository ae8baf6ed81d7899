"""``tfgrade export``: a graded batch for other systems, from the ``result.json`` files a ``tfgrade grade``
output folder already holds (nothing is graded again).

``canvas`` and ``moodle`` write the CSV their gradebook import reads, with a row per roster student whose
submission was matched (``results.lms``). Every submission no roster row matches, or that matches more
than one, and every roster student without a submission is named on stderr and the exit code is 1: the
file is still written, with the students that matched, for the instructor to complete by hand.
``overview`` rewrites the folder's ``index.html`` (``results.overview``) without grading.
"""

from __future__ import annotations

from pathlib import Path

from autograder.errors import UsageError
from autograder.results import GradingResult, lms, overview, terminal


def main(*, action: str, grades: Path, roster: Path | None = None, out: Path | None = None,
         assignment: str = "tfgrade") -> int:
    results = _results(grades)
    if action == "overview":
        return _overview(results, grades)
    return _gradebook(action, results, roster or Path(), out or Path(), assignment)


def _overview(results: list[GradingResult], grades: Path) -> int:
    path = overview.write(results, grades)
    if path is None:
        raise UsageError(f"{grades / overview.FILENAME} is a folder (a student's?): the page was not written")
    terminal.say(f"wrote {path} ({len(results)} students)")
    return 0


def _gradebook(action: str, results: list[GradingResult], roster: Path, out: Path, assignment: str) -> int:
    if out.resolve() == roster.resolve():
        raise UsageError(f"--out {out} is the roster itself: write the gradebook to another file")
    entries = lms.read_roster(roster)
    matching = lms.match(results, entries)
    if action == "canvas":
        lms.check_canvas_roster(entries)
        keys, text = lms.CANVAS_KEYS, lms.canvas_csv(matching, assignment)
    else:
        keys = lms.moodle_keys(entries)
        text = lms.moodle_csv(matching, keys, assignment)
    _write(out, text)
    problems = matching.problems() + lms.unplaceable(matching, keys)
    terminal.say(f"wrote {out}: {len(matching.matched)} of {len(results)} submissions, "
                 f"{len(entries)} students on the roster")
    for problem in problems:
        terminal.note(problem)
    return 1 if problems else 0


def _results(grades: Path) -> list[GradingResult]:
    if not grades.is_dir():
        raise UsageError(f"{grades} is not a folder of tfgrade results (tfgrade grade ... --out {grades})")
    results = overview.from_folder(grades)
    if not results:
        raise UsageError(f"{grades} holds no student's result.json: grade into it first (tfgrade grade ... "
                         f"--out {grades})")
    return results


def _write(path: Path, text: str) -> None:
    """Atomically, with the CSV's own line ends (\\r\\n) kept as they are."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)

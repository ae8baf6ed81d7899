"""Writing results in the formats instructors' platforms read: our own result.json, Gradescope's
results.json, a student's feedback.html, a gradebook CSV and JUnit XML. Every file is written atomically."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from autograder.errors import BadArtifact
from autograder.results import GradingResult, feedback, gradescope
from autograder.sandbox import artifacts
from autograder.spec import Exercise

RESULT = "result.json"
GRADESCOPE = "results.json"
GRADEBOOK = "grades.csv"
JUNIT = "junit.xml"


def write_submission(result: GradingResult, folder: Path) -> None:
    """Per student: the full result, Gradescope's view of it and the feedback page."""
    folder.mkdir(parents=True, exist_ok=True)
    artifacts.write_json(folder / GRADESCOPE, gradescope.to_gradescope_dict(result))
    _write_text(folder / feedback.FILENAME, feedback.render(result))
    artifacts.write_json(folder / RESULT, result.to_dict())  # last: its presence marks the student done


def read_submission(folder: Path) -> GradingResult | None:
    try:
        return GradingResult.from_dict(artifacts.read_json(folder / RESULT))
    except (BadArtifact, KeyError, TypeError):
        return None


def gradebook_csv(results: list[GradingResult], exercises: list[Exercise]) -> str:
    """A row per student, a column per exercise, then total, possible and status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *(e.id for e in exercises), "total", "possible", "status"])
    for result in sorted(results, key=lambda r: r.submission):
        scores = {e.exercise: e.score for e in result.exercises}
        errors = [e.exercise for e in result.exercises if e.status == "error"]
        status = "graded" if not errors else f"errors in {' '.join(errors)}"
        writer.writerow([result.submission, *(f"{scores.get(e.id, 0):g}" for e in exercises),
                         f"{result.score:g}", f"{result.possible:g}", status])
    return buffer.getvalue()


def junit_xml(results: list[GradingResult]) -> str:
    """A test suite per student, a test case per check; failed checks carry their message."""
    suites = ET.Element("testsuites", name="tfgrade")
    for result in sorted(results, key=lambda r: r.submission):
        checks = [c for e in result.exercises for c in e.checks]
        suite = ET.SubElement(suites, "testsuite", name=result.submission, tests=str(len(checks)),
                              failures=str(sum(not c.passed for c in checks)), errors="0",
                              time=f"{sum(e.seconds for e in result.exercises):.3f}")
        for exercise in result.exercises:
            for check in exercise.checks:
                case = ET.SubElement(suite, "testcase", classname=f"{result.submission}.{exercise.exercise}",
                                     name=check.check_id, time=f"{exercise.seconds / max(1, len(exercise.checks)):.3f}")
                ET.SubElement(case, "properties").append(
                    ET.Element("property", name="points", value=f"{check.points:g}/{check.possible:g}"))
                if not check.passed:
                    ET.SubElement(case, "failure", message=check.message[:500], type=check.kind).text = check.message
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_gradebook(results: list[GradingResult], exercises: list[Exercise], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _write_text(out / GRADEBOOK, gradebook_csv(results, exercises))
    _write_text(out / JUNIT, junit_xml(results))


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(path)

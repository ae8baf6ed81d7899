"""Writing results in the formats instructors' platforms read: our own result.json, Gradescope's
results.json, a student's feedback.html, a gradebook CSV and JUnit XML. Every file is written atomically.

A batch's output folder holds the batch's own files (``BATCH_FILES``, and hidden temporary files)
beside one folder per student, named by ``student_folder``: the student's name as it is, unless that
name could collide with the batch's own files or another student's folder (see there).
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
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
OVERVIEW = "index.html"  # the instructor's page, results.overview
# Every file or folder a batch writes at the top of its output folder, beside the students' folders.
# A new one goes here: student_folder keeps students' folders clear of every name listed, of every
# hidden name (temporary files such as ".grades.csv.tmp", a future ".tfgrade*") and of ESCAPE.
BATCH_FILES = (GRADEBOOK, JUNIT, OVERVIEW)
ESCAPE = "~"  # starts the folder name of every student whose own name cannot be the folder's
MAX_FOLDER_BYTES = 255  # a file name's limit on Linux and macOS
# Spreadsheets read a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reserved(name: str) -> bool:
    """Whether a student's folder may not be called ``name``: it is empty, hidden, starts with ESCAPE, or
    is one of the batch's own files on a file system that ignores case or Unicode forms (macOS)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return (not name or name.startswith((".", ESCAPE))
            or folded in {unicodedata.normalize("NFKC", own).casefold() for own in BATCH_FILES})


def student_folder(name: str) -> str:
    """The folder, in a batch's output folder, of the student called ``name``: one name per student and
    never a name the batch writes itself. ``ada`` stays ``ada``. A path separator, ``%``, a control or
    other invisible character becomes ``%XX`` (its UTF-8 bytes); a name that is reserved (see above)
    after that gets ESCAPE in front (``grades.csv`` -> ``~grades.csv``, ``~x`` -> ``~~x``, ``..`` ->
    ``~..``); a name too long for a file system becomes ESCAPE, ``%%``, a hash of it and its start.
    No two names get the same folder: a folder that starts with ESCAPE comes from an escaped name,
    and ``%`` never stays itself."""
    folder = "".join(_encode(char) for char in name)
    if reserved(folder):
        folder = ESCAPE + folder
    if len(folder.encode()) > MAX_FOLDER_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        start = folder.encode()[:MAX_FOLDER_BYTES - 40].decode(errors="ignore")
        folder = f"{ESCAPE}%%{digest}-{start}"
    return folder


def _encode(char: str) -> str:
    if "\ud800" <= char <= "\udfff":  # a byte of a name that is not UTF-8, as Python decodes it
        return f"%u{ord(char):04X}"
    if char in "/\\%" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return "".join(f"%{byte:02X}" for byte in char.encode())
    return char


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
    """A row per student, a column per exercise, then total, possible and status. A text cell a
    spreadsheet would run as a formula (a student called ``=HYPERLINK(...)``) starts with ``'``."""
    buffer = io.StringIO()
    # RFC 4180's line ends (\r\n): only then does the csv module quote a cell holding a lone \r, which a
    # spreadsheet would otherwise take for the start of a new row (and read what follows as a formula).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text_cell(cell) for cell in ["student", *(e.id for e in exercises), "total", "possible",
                                                   "status"]])
    for result in sorted(results, key=lambda r: r.submission):
        scores = {e.exercise: e.score for e in result.exercises}
        errors = [e.exercise for e in result.exercises if e.status == "error"]
        unopened = submission_error(result)
        status = ("graded" if not errors else f"error: {unopened}" if unopened
                  else f"errors in {' '.join(errors)}")
        writer.writerow([_text_cell(result.submission), *(f"{scores.get(e.id, 0):g}" for e in exercises),
                         f"{result.score:g}", f"{result.possible:g}", _text_cell(status)])
    return buffer.getvalue()


def submission_error(result: GradingResult) -> str | None:
    """Why nothing of a submission could be graded (an archive that cannot be opened), if so: every
    exercise failed with the same message before any case ran."""
    messages = {e.message for e in result.exercises}
    if (result.exercises and all(e.status == "error" and not e.details for e in result.exercises)
            and len(messages) == 1):
        return messages.pop() or None
    return None


def _text_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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

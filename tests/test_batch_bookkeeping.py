"""A batch's own bookkeeping, with a stand-in grader (no TensorFlow): students' output folders never
collide with the batch's files or with each other, reruns resume under those folder names, and no
gradebook cell is a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import itertools
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from autograder import exercises as registry
from autograder.grading import batch as batch_module
from autograder.grading.submissions import discover
from autograder.results import CheckResult, ExerciseResult, GradingResult, files, overview

EXERCISES = [registry.get("ex02")]
EXERCISE_FILE = EXERCISES[0].filename


class StandInReference:
    def observations(self, exercise, cases):
        return {}

    def version(self, exercises):
        return "stand-in grader"

    def cache_file(self, exercise):
        return Path(f"{exercise.module_name}-stand-in.json")


@pytest.fixture
def graded_by_stand_in(monkeypatch):
    """Grades each exercise file by its text: "full" earns every point. Records who was graded."""
    calls: list[str] = []

    def grade_submission(folder: Path, exercises, visibilities, reference):
        calls.append(folder.name)
        results = []
        for exercise in exercises:
            source = folder / exercise.filename
            passed = source.is_file() and source.read_text() == "full"
            checks = [CheckResult(exercise.id, "default.layer_types", "layer_types", "default", "layer types",
                                  2.0 if passed else 0.0, 2.0, passed, "ok" if passed else "differs")]
            results.append(ExerciseResult(exercise.id, exercise.title, "graded", checks))
        return GradingResult(folder.name, results, "all")

    monkeypatch.setattr(batch_module, "grade_submission", grade_submission)
    return calls


def run(batch: Path, out: Path):
    return batch_module.grade_batch(discover(batch), EXERCISES, out, StandInReference(), workers=2)


def student(batch: Path, name: str, text: str = "full") -> None:
    (batch / name).mkdir(parents=True)
    (batch / name / EXERCISE_FILE).write_text(text)


def zipped(batch: Path, filename: str, text: str = "full") -> None:
    batch.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(batch / filename, "w") as archive:
        archive.writestr(f"work/{EXERCISE_FILE}", text)


# ------------------------------------------------------------------------------- output folder names


def test_an_ordinary_name_is_its_own_folder():
    for name in ("ada", "Ada Lovelace", "o'brien", "zoë", "ada.v2", "ada-1", "ADA_1", "ada~1", "-rf"):
        assert files.student_folder(name) == name


@pytest.mark.parametrize("name, folder", [
    ("grades.csv", "~grades.csv"), ("junit.xml", "~junit.xml"), ("GRADES.CSV", "~GRADES.CSV"),
    ("index.html", "~index.html"),
    (".tfgrade", "~.tfgrade"), (".grades.csv.tmp", "~.grades.csv.tmp"), ("..", "~.."), (".", "~."), ("", "~"),
    ("~", "~~"), ("~grades.csv", "~~grades.csv"), ("a/b", "a%2Fb"), ("a\\b", "a%5Cb"), ("100%", "100%25"),
    ("a%2Fb", "a%252Fb"), ("line\nbreak", "line%0Abreak"), ("bell\x07", "bell%07"), ("rtl\u202egnp", "rtl%E2%80%AEgnp"),
    ("../../etc", "~..%2F..%2Fetc"),
])
def test_a_reserved_or_unsafe_name_is_escaped(name, folder):
    assert files.student_folder(name) == folder


def tricky_names() -> list[str]:
    parts = ["", "~", ".", "%", "/", "\\", "\x00", "\n", "\udcff", "\u202e", "grades.csv", "junit.xml", "JUnit.XML",
             "a", "%2F", "%7E", "~.", "..", "%%", "-"]
    return sorted({a + b + c for a, b, c in itertools.product(parts, repeat=3)})


def test_folders_are_one_per_name_and_never_the_batch_s_own():
    names = tricky_names() + ["x" * 300, "x" * 299 + "y", "é" * 200, "é" * 199 + "e"]
    folders = [files.student_folder(name) for name in names]
    assert len(set(folders)) == len(names)  # no two students share a folder
    own = {name.casefold() for name in files.BATCH_FILES}
    for folder in folders:
        assert folder.casefold() not in own and not folder.startswith(".") and folder not in ("", ".", "..")
        assert "/" not in folder and "\\" not in folder and folder.isprintable()
        assert len(folder.encode()) <= 255 and Path(folder).name == folder  # one path component


def test_the_batch_writes_nothing_at_the_top_but_reserved_names(tmp_path):
    """Every name the batch writes beside the students' folders is one student_folder keeps clear of: a
    new file the batch writes must be listed in BATCH_FILES (or be hidden)."""
    result = GradingResult("ada", [], "all")
    files.write_gradebook([result], EXERCISES, tmp_path)
    overview.write([result], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files.BATCH_FILES)
    assert all(files.reserved(p.name) for p in tmp_path.iterdir())
    assert not any(name.startswith(files.ESCAPE) for name in files.BATCH_FILES)


def test_students_named_like_the_batch_s_files_get_their_own_folders(tmp_path, graded_by_stand_in):
    batch, out = tmp_path / "submissions", tmp_path / "out"
    student(batch, "ada")
    student(batch, "junit.xml", "partly")
    student(batch, "~ben")
    zipped(batch, "grades.csv.zip")
    zipped(batch, "GRADES.CSV.zip", "partly")  # macOS would take it for grades.csv
    outcome = run(batch, out)
    names = ["GRADES.CSV", "ada", "grades.csv", "junit.xml", "~ben"]
    assert sorted(r.submission for r in outcome.results) == names
    assert (out / "grades.csv").is_file() and (out / "junit.xml").is_file()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["grades.csv", "index.html", "junit.xml", "~GRADES.CSV", "ada", "~grades.csv", "~junit.xml", "~~ben"])
    rows = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}
    assert sorted(rows) == names  # the students' real names
    assert rows["grades.csv"]["total"] == "2" and rows["junit.xml"]["total"] == "0"
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert sorted(s.get("name") for s in suites) == names
    assert files.read_submission(out / "~grades.csv").submission == "grades.csv"
    assert files.read_submission(out / "~~ben").submission == "~ben"


def test_a_rerun_resumes_under_the_escaped_folder_names(tmp_path, graded_by_stand_in):
    batch, out = tmp_path / "submissions", tmp_path / "out"
    student(batch, "ada")
    student(batch, "~ben")
    student(batch, ".hidden-is-skipped")
    zipped(batch, "grades.csv.zip")
    zipped(batch, "junit.xml.zip")
    first = run(batch, out)
    assert sorted(first.graded) == ["ada", "grades.csv", "junit.xml", "~ben"]
    stamps = {r.submission: r.graded_at for r in first.results}

    again = run(batch, out)
    assert again.graded == [] and sorted(again.skipped) == sorted(stamps)

    # An interrupted run: one student's result was never written; another student's work changed.
    (out / "~junit.xml" / files.RESULT).unlink()
    zipped(batch, "grades.csv.zip", "partly")
    graded_by_stand_in.clear()
    resumed = run(batch, out)
    assert sorted(resumed.graded) == ["grades.csv", "junit.xml"] and sorted(resumed.skipped) == ["ada", "~ben"]
    assert len(graded_by_stand_in) == 2
    assert {r.submission: r.graded_at for r in resumed.results}["ada"] == stamps["ada"]
    rows = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}
    assert rows["grades.csv"]["total"] == "0" and rows["junit.xml"]["total"] == "2"


def test_a_result_in_a_student_s_folder_must_name_that_student(tmp_path, graded_by_stand_in):
    """Two students with the same work have the same fingerprint: a folder holding another student's
    result (left by an older kit, or copied by hand) is regraded, never taken as this student's."""
    batch, out = tmp_path / "submissions", tmp_path / "out"
    student(batch, "ada")
    student(batch, "ben")
    run(batch, out)
    (out / "ben" / files.RESULT).write_bytes((out / "ada" / files.RESULT).read_bytes())
    again = run(batch, out)
    assert again.graded == ["ben"]
    assert sorted(r.submission for r in again.results) == ["ada", "ben"]


# ------------------------------------------------------------------------------------ CSV formulas


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd",
                                  "=1,2\n\"3\"", "-x\r=cmd", "=x\r\n=cmd"])
def test_a_gradebook_cell_is_never_a_formula(name):
    text = files.gradebook_csv([GradingResult(name, [], "all")], EXERCISES)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + name  # read back whole, quote and all
    assert rows[1][1:] == ["0", "0", "0", "graded"] and len(rows) == 2  # numbers stay numbers; no row split


def test_a_carriage_return_inside_a_name_never_starts_a_row():
    """A spreadsheet ends a row at a lone \r: unquoted, "ada\r=cmd" would put a formula in a row of its own."""
    text = files.gradebook_csv([GradingResult("ada\r=cmd", [], "all")], EXERCISES)
    assert '"ada\r=cmd"' in text
    assert list(csv.reader(io.StringIO(text, newline="")))[1][0] == "ada\r=cmd"


def test_ordinary_cells_are_unchanged():
    text = files.gradebook_csv([GradingResult("ada", [], "all"), GradingResult("o'brien", [], "all")], EXERCISES)
    assert [row[0] for row in csv.reader(io.StringIO(text))] == ["student", "ada", "o'brien"]


def test_a_submission_that_could_not_be_opened_says_why_in_its_status():
    message = "-=cmd.rar: unsupported archive type"
    failed = ExerciseResult("ex02", "Dense", "error", [], message)
    text = files.gradebook_csv([GradingResult("ada", [failed], "all")], EXERCISES)
    assert list(csv.reader(io.StringIO(text)))[1][-1] == f"error: {message}"
    failed.message = "-x"
    failed.details = {"default": {}}  # it ran: an exercise's own error, not the submission's
    text = files.gradebook_csv([GradingResult("ada", [failed], "all")], EXERCISES)
    assert list(csv.reader(io.StringIO(text)))[1][-1] == "errors in ex02"

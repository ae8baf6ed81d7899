"""`tfgrade export canvas|moodle`: a batch's totals in the CSV each LMS imports, matched to the roster it
exported (tests/fixtures/), every submission or student left unmatched named on stderr with exit 1."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_cli import tfgrade

from autograder.commands import export
from autograder.results import CheckResult, ExerciseResult, GradingResult, files, lms
from autograder.sandbox import artifacts

FIXTURES = Path(__file__).parent / "fixtures"
CANVAS_ROSTER = FIXTURES / "canvas_roster.csv"
MOODLE_ROSTER = FIXTURES / "moodle_roster.csv"


def result(name: str, score: float, possible: float = 10.0) -> GradingResult:
    check = CheckResult("ex02", "default.layer_types", "layer_types", "default", "layer types", score, possible,
                        score == possible, "")
    return GradingResult(name, [ExerciseResult("ex02", "Width of a Dense layer", "graded", [check])], "all")


def grades_folder(root: Path, scores: dict[str, float]) -> Path:
    """An output folder as `tfgrade grade` leaves it: a result.json per student."""
    out = root / "grades"
    for name, score in scores.items():
        folder = out / files.student_folder(name)
        folder.mkdir(parents=True)
        artifacts.write_json(folder / files.RESULT, result(name, score).to_dict())
    return out


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def export_to(kind: str, tmp_path: Path, scores: dict[str, float], roster: Path, **options) -> tuple[int, Path]:
    out = tmp_path / f"{kind}.csv"
    code = export.main(action=kind, grades=grades_folder(tmp_path, scores), roster=roster, out=out, **options)
    return code, out


def test_canvas_gradebook_round_trip(tmp_path, capsys):
    # By SIS Login ID in any case, by name in either order, and a login a spreadsheet would run as a formula.
    scores = {"ada": 10, "GHOPPER": 7.5, "Alan_Turing": 3, "enoether": 0, "@eve": 10}
    code, out = export_to("canvas", tmp_path, scores, CANVAS_ROSTER, assignment="Keras (12345)")
    assert code == 0, capsys.readouterr().err
    rows = read_csv(out)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Keras (12345)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "10"]
    assert rows[2:] == [["Lovelace, Ada", "101", "S-0001", "ada", "Section A", "10"],
                        ["Hopper, Grace", "102", "S-0002", "ghopper", "Section A", "7.5"],
                        ["Turing, Alan", "103", "S-0003", "aturing", "Section B", "3"],
                        ["Noether, Emmy", "104", "S-0004", "enoether", "Section B", "0"],
                        ["Mallory, Eve", "105", "S-0005", "'@eve", "Section B", "10"]]  # as grades.csv escapes
    assert out.read_bytes().count(b"\r\n") == len(rows)  # RFC 4180 line ends
    assert capsys.readouterr().err == ""


def test_moodle_gradebook_round_trip(tmp_path, capsys):
    # By e-mail address or its local part, by ID number, by name; Moodle's export has no username here.
    scores = {"ada.lovelace": 9, "s-0002": 8, "Turing Alan": 7, "emmy@uni.example": 6, "Eve Mallory": 5}
    code, out = export_to("moodle", tmp_path, scores, MOODLE_ROSTER)
    assert code == 0, capsys.readouterr().err
    rows = read_csv(out)
    assert rows == [["Email address", "ID number", "tfgrade"],
                    ["ada.lovelace@uni.example", "S-0001", "9"],
                    ["ghopper@uni.example", "S-0002", "8"],
                    ["alan.turing@uni.example", "S-0003", "7"],
                    ["emmy@uni.example", "S-0004", "6"],
                    ["'+eve@uni.example", "S-0005", "5"]]


def test_unmatched_submissions_and_students_without_one_are_reported(tmp_path, capsys):
    code, out = export_to("canvas", tmp_path, {"ada": 10, "zed": 4}, CANVAS_ROSTER)
    assert code == 1
    err = capsys.readouterr().err
    assert "no roster row matches the submission 'zed'" in err
    for student in ("Hopper, Grace", "Turing, Alan", "Noether, Emmy", "Mallory, Eve"):
        assert f"no submission for {student} (roster row" in err
    assert "Lovelace" not in err and "Test" not in err  # matched; Canvas' test student is not a student
    assert [row[0] for row in read_csv(out)] == ["Student", "Points Possible", "Lovelace, Ada"]  # the rest written


def test_the_command_line_exports_and_exits_1_on_an_unmatched_submission(tmp_path):
    grades = grades_folder(tmp_path, {"ada.lovelace": 9, "nobody": 1})
    done = tfgrade("export", "moodle", "--grades", str(grades), "--roster", str(MOODLE_ROSTER),
                   "--out", str(tmp_path / "moodle.csv"), "--assignment", "Keras")
    assert done.returncode == 1, done.stderr
    assert "no roster row matches the submission 'nobody'" in done.stderr
    assert read_csv(tmp_path / "moodle.csv")[:2] == [["Email address", "ID number", "Keras"],
                                                     ["ada.lovelace@uni.example", "S-0001", "9"]]


def roster(*rows: dict[str, str]) -> list[lms.RosterEntry]:
    return [lms.RosterEntry(number, **row) for number, row in enumerate(rows, start=2)]


def test_two_rows_matching_one_submission_is_reported_not_decided():
    entries = roster({"name": "Lee, Kim", "login": "klee1"}, {"name": "Kim Lee", "login": "klee2"})
    matching = lms.match([result("kim_lee", 5)], entries)
    assert matching.matched == [] and "matches 2 roster rows" in matching.ambiguous[0]


def test_two_submissions_matching_one_row_are_reported_not_decided():
    entries = roster({"name": "Lovelace, Ada", "login": "ada"})
    matching = lms.match([result("ada", 5), result("Ada Lovelace", 6)], entries)
    assert matching.matched == [] and "'Ada Lovelace', 'ada' all match Lovelace, Ada" in matching.ambiguous[0]


def test_an_identifier_wins_over_a_name():
    entries = roster({"name": "Turing, Alan", "login": "alan"}, {"name": "Alan", "login": "aturing"})
    matching = lms.match([result("alan", 5)], entries)
    assert [entry.login for _, entry in matching.matched] == ["alan"]


def test_a_roster_without_identifiers_is_refused_for_canvas(tmp_path):
    names_only = tmp_path / "names.csv"
    names_only.write_text("Student,Section\n\"Lovelace, Ada\",A\n")
    with pytest.raises(export.UsageError, match="Canvas identifies students by ID"):
        export_to("canvas", tmp_path, {"Ada Lovelace": 1}, names_only)


def test_the_roster_is_never_overwritten(tmp_path):
    with pytest.raises(export.UsageError, match="is the roster itself"):
        export.main(action="canvas", grades=grades_folder(tmp_path, {"ada": 1}), roster=CANVAS_ROSTER,
                    out=CANVAS_ROSTER)

"""The instructor's index.html: failure messages grouped by kind, students whose code did not run apart
from wrong answers, links to every student's page, and, in a browser, the plots drawn and the numbers
grades.csv has. Batches are graded by a stand-in grader (no TensorFlow)."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import unquote

import pytest
import test_batch
from test_archives import StandInReference
from test_feedback import Elements

from autograder import exercises as registry
from autograder.grading import batch as batch_module
from autograder.grading.submissions import discover
from autograder.results import CheckResult, ExerciseResult, GradingResult, files, overview

browser = test_batch.browser  # Debian's Chromium through Playwright, as feedback.html is tested
EXERCISES = [registry.get("ex02"), registry.get("ex06")]
CRASH = "build_classifier() crashed with signal SIGSEGV (segmentation fault)"


def wrong_message(units: int) -> str:
    return f"layer 2: expected Dense(16) -> (None, 16), got Dense({units}) -> (None, {units})"


def stand_in_grade(folder: Path, exercises, visibilities, reference):
    """Grades by each exercise file's text: "full", "wrong <units>" (the first layer-types check of every
    case fails), "crash" (the first case crashes); a missing file is the exercise's error."""
    return GradingResult(folder.name, [_stand_in_exercise(folder, exercise) for exercise in exercises], "all")


def _stand_in_exercise(folder: Path, exercise) -> ExerciseResult:
    source = folder / exercise.filename
    text = source.read_text() if source.is_file() else None
    if text is None:
        message = f"{exercise.filename} was not found in the submission (searched {folder})"
        checks = [CheckResult(exercise.id, f"{case.name}.{check.id}", check.kind, case.name, check.title, 0.0,
                              check.points, False, message, case.visibility)
                  for case in exercise.cases for check in exercise.checks_for(case)]
        return ExerciseResult(exercise.id, exercise.title, "error", checks, message)
    checks, details = [], {}
    for index, case in enumerate(exercise.cases):
        failure = CRASH if text == "crash" and index == 0 else None
        details[case.name] = {"call": case.name, "visibility": case.visibility, "failure": failure}
        for check in exercise.checks_for(case):
            wrong = text.startswith("wrong") and check.kind == "layer_types"
            passed = not failure and not wrong
            message = failure or (wrong_message(int(text.split()[1])) if wrong else "as expected")
            checks.append(CheckResult(exercise.id, f"{case.name}.{check.id}", check.kind, case.name, check.title,
                                      check.points if passed else 0.0, check.points, passed, message, case.visibility))
    return ExerciseResult(exercise.id, exercise.title, "graded", checks, details=details)


STUDENTS = {
    "ada": {"ex02": "full", "ex06": "full"},
    "ben": {"ex02": "wrong 8", "ex06": "full"},
    "cy": {"ex02": "wrong 32", "ex06": "wrong 64"},
    "dee": {"ex02": "crash", "ex06": "full"},
    "eve": {"ex02": "full"},  # no ex06 file
    "o'brien 100%": {"ex02": "wrong 8", "ex06": "full"},
    "<b>kim": {"ex02": "full", "ex06": "crash"},
}


def write_batch(root: Path, students=STUDENTS) -> Path:
    batch = root / "submissions"
    for name, sources in students.items():
        folder = batch / name
        folder.mkdir(parents=True)
        for exercise in EXERCISES:
            if exercise.id in sources:
                (folder / exercise.filename).write_text(sources[exercise.id])
    return batch


@pytest.fixture
def graded(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_module, "grade_submission", stand_in_grade)
    out = tmp_path / "out"
    outcome = batch_module.grade_batch(discover(write_batch(tmp_path)), EXERCISES, out, StandInReference())
    return out, outcome.results


# -------------------------------------------------------------------------------------- grouping


@pytest.mark.parametrize("one, other", [
    ("expected 16 units, got 8", "expected 16 units, got 128"),
    ("got Dense(8) -> (None, 8)", "got Dense(64) -> (None, 6, 6, 64)"),
    ("accuracy 0.812 below 0.9", "accuracy 0.05 below 0.9"),
    ("expected 2,080 parameters, got 1,040", "expected 2,080 parameters, got 96"),
    ("Conv2D(32, 3x3) expected, got Conv2D(16, 5x5)", "Conv2D(8, 3x3) expected, got Conv2D(4, 2x2)"),
    ("ex06_conv2d.py was not found (searched /tmp/tfgrade-x1/ada)", "ex06_conv2d.py was not found (searched /srv/b/ben)"),
    ("shape (3,) differs", "shape (12,) differs"),
])
def test_messages_that_differ_in_numbers_shapes_or_paths_group_together(one, other):
    assert overview.normalize(one) == overview.normalize(other)


@pytest.mark.parametrize("one, other", [
    ("got Dense(8)", "got Conv2D(8)"),
    ("expected relu, got tanh", "expected relu, got sigmoid"),
    ("name 'x' is not defined", "name 'y' is not defined"),
])
def test_messages_that_differ_otherwise_stay_apart(one, other):
    assert overview.normalize(one) != overview.normalize(other)


def test_names_with_digits_keep_them():
    assert overview.normalize("expected Conv2D -> (None, 6, 6, 32) in ex06") == "expected Conv2D -> (…) in ex06"


# ------------------------------------------------------------------------------------ the summary


def test_errors_are_listed_apart_from_wrong_answers_and_do_not_count_as_failed_checks(graded):
    _, results = graded
    summary = overview.summarize(results)
    ex02, ex06 = summary.exercises
    assert [line.name for line in ex02.errors] == ["dee"] and ex02.errors[0].message == CRASH
    assert [line.name for line in ex02.wrong] == ["ben", "cy", "o'brien 100%"]
    assert [line.name for line in ex06.errors] == ["<b>kim", "eve"]
    assert "was not found in the submission" in ex06.errors[1].message
    assert [line.name for line in ex06.wrong] == ["cy"]
    worst = ex02.checks[0]
    # dee's crashed case decided nothing: 6 students' default case ran, 3 of them failed layer types.
    assert (worst.check_id, worst.failed, worst.decided) == ("default.layer_types", 3, 6)
    assert [(g.count, g.example) for g in worst.groups] == [(3, wrong_message(8))]
    assert all(check.check_id.endswith("layer_types") for check in ex02.checks)  # the crash's checks are errors


def test_means_and_students_are_those_of_the_gradebook(graded):
    out, results = graded
    summary = overview.summarize(results)
    rows = list(csv.DictReader((out / files.GRADEBOOK).open(newline="")))
    assert len(summary.students) == len(rows) == len(STUDENTS)
    for exercise in summary.exercises:
        assert exercise.mean == pytest.approx(sum(float(row[exercise.exercise]) for row in rows) / len(rows))
    assert summary.mean == pytest.approx(sum(float(row["total"]) for row in rows) / len(rows))


def test_links_follow_the_batch_s_folder_names(graded):
    out, results = graded
    for result in results:
        link = overview.feedback_link(result.submission)
        assert (out / unquote(link)).is_file(), link
    assert overview.feedback_link("o'brien 100%") == "o%27brien%20100%2525/feedback.html"


def test_the_page_says_it_is_for_instructors_and_escapes_students_text(graded):
    out, _ = graded
    html = (out / overview.FILENAME).read_text()
    page = Elements(html)
    assert "Instructor only." in "".join(page.text) and "hidden cases" in "".join(page.text)
    assert "<b>kim" not in html and "&lt;b&gt;kim" in html
    assert page.count("figure", "histogram") == 1 + len(EXERCISES) and page.count("svg") == 1 + len(EXERCISES)
    assert "(hidden)" in "".join(page.text)  # hidden checks' failures are shown, marked


def test_the_page_rebuilt_from_the_folder_is_the_one_the_batch_wrote(graded):
    out, _ = graded
    written = (out / overview.FILENAME).read_text()
    (out / overview.FILENAME).unlink()
    assert overview.rewrite(out) == out / overview.FILENAME
    assert (out / overview.FILENAME).read_text() == written


def test_a_student_called_like_the_page_keeps_their_work(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_module, "grade_submission", stand_in_grade)
    out = tmp_path / "out"
    batch = write_batch(tmp_path, {"ada": {"ex02": "full"}, "index.html": {"ex02": "wrong 8"}})
    outcome = batch_module.grade_batch(discover(batch), EXERCISES, out, StandInReference())
    assert sorted(r.submission for r in outcome.results) == ["ada", "index.html"]
    assert (out / files.student_folder("index.html") / "feedback.html").is_file()


# ------------------------------------------------------------------------------------- in a browser


def test_overview_in_a_browser_draws_the_plots_and_shows_the_gradebook_s_numbers(graded, browser):
    out, _ = graded
    rows = list(csv.DictReader((out / files.GRADEBOOK).open(newline="")))
    page = browser.new_page()
    page.goto((out / overview.FILENAME).resolve().as_uri())
    assert page.locator("#instructor-only").is_visible()
    assert page.locator("#students").inner_text() == str(len(rows))
    plots = page.locator("figure.histogram svg")
    assert plots.count() == 1 + len(EXERCISES)
    assert all(plots.nth(i).bounding_box()["height"] > 100 for i in range(plots.count()))
    assert page.locator("figure.histogram svg path").count() > 20  # bars and axes drawn, not empty frames
    for exercise in EXERCISES:
        shown = float(page.locator(f'tr[data-exercise="{exercise.id}"] td.mean').inner_text())
        assert shown == pytest.approx(sum(float(row[exercise.id]) for row in rows) / len(rows), abs=0.005)
    links = page.locator("a.feedback")
    assert links.count() == len(rows)
    for i in range(links.count()):  # every student's page is where the link points
        assert Path(unquote(links.nth(i).evaluate("a => new URL(a.href).pathname"))).is_file()
    page.locator("a.feedback", has_text="o'brien 100%").click()
    assert page.title().startswith("Feedback for o'brien 100%")
    page.close()

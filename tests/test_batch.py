"""Batch grading through the console script: every student graded once, every format written,
reruns resume, a killed run finishes on the next try."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from helpers import COURSE, solution_text
from test_cli import TFGRADE, tfgrade

EXERCISE_FILE = "ex02_dense.py"


def demo_batch(root: Path) -> Path:
    """A reference, an untouched stub, a partly right one, a broken archive and a zipped reference."""
    batch = root / "submissions"
    for name, source in {
        "ada": solution_text("ex02"),
        "ben": (COURSE.assignments / EXERCISE_FILE).read_text(),
        "cy": solution_text("ex02").replace("return inputs * units + units", "return inputs * units"),
        "dee": "def build_classifier(:\n",
    }.items():
        (batch / name).mkdir(parents=True)
        (batch / name / EXERCISE_FILE).write_text(source)
    (batch / "eve.zip").write_text("this is not a zip archive")
    with zipfile.ZipFile(batch / "fay.zip", "w") as archive:
        archive.writestr(f"fay/{EXERCISE_FILE}", solution_text("ex02"))
    return batch


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    batch = demo_batch(root)
    (batch / "gus").mkdir()  # a wrong architecture: an extra hidden layer
    (batch / "gus" / EXERCISE_FILE).write_text(solution_text("ex02").replace(
        'layers.Dense(units, activation="relu"),', 'layers.Dense(units, activation="relu"), layers.Dense(32),'))
    done = tfgrade("grade", str(batch), "--out", str(root / "out"), "--exercise", "2", "--json")
    assert done.returncode == 0, done.stderr
    return root, {r["submission"]: r for r in json.loads(done.stdout)}


def test_every_student_gets_the_expected_grade(graded):
    _, results = graded
    assert sorted(results) == ["ada", "ben", "cy", "dee", "eve", "fay", "gus"]
    possible = results["ada"]["possible"]
    assert results["ada"]["score"] == results["fay"]["score"] == possible > 0
    assert results["ben"]["score"] == 0 and results["dee"]["score"] == 0 and results["eve"]["score"] == 0
    assert results["cy"]["score"] == possible - 6
    assert "syntax error" in results["dee"]["exercises"][0]["message"]
    assert "cannot be opened" in results["eve"]["exercises"][0]["message"]
    assert 0 < results["gus"]["score"] < possible


def test_gradebook_csv_junit_and_gradescope_files(graded):
    root, results = graded
    out = root / "out"
    rows = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}
    assert set(rows) == set(results) and float(rows["cy"]["ex02"]) == results["cy"]["score"]
    assert rows["dee"]["status"] == "errors in ex02" and rows["ada"]["status"] == "graded"
    suites = {s.get("name"): s for s in ET.parse(out / "junit.xml").getroot().findall("testsuite")}
    assert set(suites) == set(results) and suites["ada"].get("failures") == "0"
    assert suites["cy"].get("failures") == "3"
    for name in results:
        gradescope = json.loads((out / name / "results.json").read_text())
        assert gradescope["score"] == results[name]["score"]
        assert {t["visibility"] for t in gradescope["tests"]} <= {"visible", "after_published"}


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (which downloads no browser of its own)."""
    executable = os.environ.get("TFGRADE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("feedback.html is tested in a real browser: install Debian's `chromium` package "
                    "(the README's test command does) or set TFGRADE_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


# Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def open_feedback(browser, out, student):
    page = browser.new_page()
    page.goto((out / student / "feedback.html").resolve().as_uri())
    return page


def test_feedback_page_in_a_browser_shows_both_models_curves_and_differences(graded, browser):
    root, results = graded
    page = open_feedback(browser, root / "out", "gus")
    assert page.title().startswith("Feedback for gus")
    assert page.locator("#total").inner_text() == f"{results['gus']['score']:g} / {results['gus']['possible']:g} points"
    models = page.locator("table.models")
    assert models.count() == 2  # the public cases: default and narrow
    extra = models.first.locator("tr.differs", has_text="not in the reference")
    assert extra.count() == 1 and "Dense(32)" in extra.inner_text()
    # The output layer now sees 32 inputs, not 64: same layer and shape, its parameter count highlighted.
    output = models.first.locator("tr.differs", has_text="Dense(10)")
    assert output.count() == 1 and output.locator("td.diff").count() == 2  # both sides' parameter cells
    plots = page.locator("figure.curves svg")
    assert plots.count() >= 2 and all(plots.nth(i).bounding_box()["height"] > 100 for i in range(plots.count()))
    assert page.locator("figure.curves svg path").count() > 10  # lines drawn, not an empty frame
    page.close()


def test_feedback_page_of_a_perfect_submission_has_no_highlight_and_no_hidden_detail(graded, browser):
    root, _ = graded
    page = open_feedback(browser, root / "out", "ada")
    assert page.locator("table.models tr.same").count() > 0
    assert page.locator("table.models tr.differs").count() == 0
    assert page.locator("tr.hidden").count() > 0 and page.locator(".case").count() == 2
    text = page.locator("body").inner_text()
    assert "num_features=13" not in text and "num_features=4" not in text  # hidden cases' inputs
    page.close()


def test_a_rerun_skips_unchanged_students_and_regrades_changed_ones(graded):
    root, results = graded
    batch, out = root / "submissions", root / "out"
    (batch / "cy" / EXERCISE_FILE).write_text(solution_text("ex02"))
    done = tfgrade("grade", str(batch), "--out", str(out), "--exercise", "2")
    assert done.returncode == 0, done.stderr
    assert "graded 1, 6 unchanged since the last run" in done.stdout
    again = json.loads((out / "cy" / "result.json").read_text())
    assert again["score"] == again["possible"]
    assert json.loads((out / "ada" / "result.json").read_text())["graded_at"] == results["ada"]["graded_at"]


def test_a_killed_batch_resumes_and_grades_everyone_exactly_once(tmp_path):
    batch, out = demo_batch(tmp_path), tmp_path / "out"
    command = [TFGRADE, "grade", str(batch), "--out", str(out), "--exercise", "2", "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 600
    while not list(out.glob("*/result.json")) and time.monotonic() < deadline:
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    first = {p.parent.name: json.loads(p.read_text())["graded_at"] for p in out.glob("*/result.json")}
    assert 1 <= len(first) < 6
    done = tfgrade("grade", str(batch), "--out", str(out), "--exercise", "2", "--json")
    assert done.returncode == 0, done.stderr
    final = {r["submission"]: r for r in json.loads(done.stdout)}
    assert sorted(final) == ["ada", "ben", "cy", "dee", "eve", "fay"]
    assert all(final[name]["graded_at"] == stamp for name, stamp in first.items())


def test_a_resubmission_regrades_only_the_exercises_whose_inputs_changed(tmp_path, monkeypatch):
    from autograder import exercises as registry
    from autograder.grading import batch as batch_module
    from autograder.grading.reference import ComputedReference
    from autograder.grading.submissions import discover

    chosen = [registry.get("ex01"), registry.get("ex02")]
    graded: list[list[str]] = []
    real = batch_module.grade_submission
    monkeypatch.setattr(batch_module, "grade_submission",
                        lambda folder, exercises, *rest: graded.append([e.id for e in exercises]) or real(
                            folder, exercises, *rest))
    student = tmp_path / "batch" / "ada"
    student.mkdir(parents=True)
    for exercise in chosen:
        (student / exercise.filename).write_text(solution_text(exercise.id))

    def grade(out: str):
        return batch_module.grade_batch(discover(tmp_path / "batch"), chosen, tmp_path / out,
                                        ComputedReference(COURSE)).results[0]

    first = grade("out")
    (student / EXERCISE_FILE).write_text(solution_text("ex02").replace("return inputs * units + units",
                                                                       "return inputs * units"))
    second = grade("out")
    (student / "helper.py").write_text("SCALE = 2\n")  # a file any exercise may import
    third = grade("out")
    full = grade("fresh")  # the same files graded from scratch
    assert graded == [["ex01", "ex02"], ["ex02"], ["ex01", "ex02"], ["ex01", "ex02"]]
    assert second.exercises[0].to_dict() == first.exercises[0].to_dict()  # kept as it was, timing included
    assert second.exercises[1].score < first.exercises[1].score == first.exercises[1].possible
    assert ([c.to_dict() for e in second.exercises for c in e.checks]
            == [c.to_dict() for e in third.exercises for c in e.checks]
            == [c.to_dict() for e in full.exercises for c in e.checks])

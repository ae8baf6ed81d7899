"""The nbgrader integration end to end, with nbgrader's own CLI on a course built by `tfgrade nbgrader init`:
generate_assignment, autograde, generate_feedback and export, then the trusted grade (`tfgrade grade` on
the submitted notebooks) and `tfgrade nbgrader reconcile`.

One course, one notebook (ex02), six students graded once: nbgrader starts a kernel per notebook and
each kernel imports TensorFlow, so every student here costs tens of seconds.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import solution_text
from test_cli import tfgrade

from autograder import exercises as registry
from autograder.commands.nbgrader import CELL_TIMEOUT_SECONDS
from autograder.notebooks import build, kernel
from autograder.templates import render

BIN = Path(sys.executable).parent
EXERCISE = registry.get("ex02")
ASSIGNMENT = "keras"
NOTEBOOK = f"{EXERCISE.module_name}.ipynb"
VALUE_POINTS = sum(check.points for case in EXERCISE.cases for check in EXERCISE.checks_for(case)
                   if EXERCISE.function_of(case).name == "dense_param_count")
HIDDEN_NAMES = [case.name for case in EXERCISE.cases if case.hidden]

# Each trick lets a wrong answer (here the untouched stub) pass every test cell inside the kernel.
TAMPERING = {
    "dave": "import autograder.notebooks.kernel as checks\nchecks.check = lambda *args, **kwargs: None\n",
    "erin": ("import sys, types\n"
             "fake, fake_checks = types.ModuleType('autograder'), types.ModuleType('autograder.notebooks.kernel')\n"
             "fake.__path__ = []\n"
             "fake_checks.check = lambda *args, **kwargs: None\n"
             "sys.modules['autograder'], sys.modules['autograder.notebooks.kernel'] = fake, fake_checks\n"),
    "frank": ("def blank_the_checks(lines):\n"
              "    return [] if any('check(' in line for line in lines) else lines\n"
              "get_ipython().input_transformers_cleanup.append(blank_the_checks)\n"),
}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def submit(course: Path, student: str, notebook: dict) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).write_text(json.dumps(notebook))
    (folder / "timestamp.txt").write_text("2024-01-01 00:00:00.000000 UTC")


def with_cell_before_checks(notebook: dict, source: str) -> dict:
    changed = copy.deepcopy(notebook)
    at = next(i for i, c in enumerate(changed["cells"]) if "".join(c["source"]).startswith("## Checks"))
    changed["cells"].insert(at, {"cell_type": "code", "id": "student-cell", "metadata": {}, "source": source,
                                 "outputs": [], "execution_count": None})
    return changed


def wrong_count(notebook: dict) -> dict:
    changed = copy.deepcopy(notebook)
    for cell in changed["cells"]:
        cell["source"] = "".join(cell["source"]).replace("return inputs * units + units", "return inputs * units")
    return changed


def without_cell(notebook: dict, grade_id: str) -> dict:
    changed = copy.deepcopy(notebook)
    changed["cells"] = [c for c in changed["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != grade_id]
    return changed


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("nbgrader") / "course"
    done = tfgrade("nbgrader", "init", str(root), "--exercise", "2")
    assert done.returncode == 0, done.stderr
    nbgrader(root, "generate_assignment", ASSIGNMENT)
    source = json.loads((root / "source" / ASSIGNMENT / NOTEBOOK).read_text())
    release = json.loads((root / "release" / ASSIGNMENT / NOTEBOOK).read_text())
    submit(root, "alice", source)  # the reference
    submit(root, "bob", without_cell(release, "ex02-count-value"))  # the stub, minus a test cell
    submit(root, "carol", wrong_count(source))
    for student, trick in TAMPERING.items():
        submit(root, student, with_cell_before_checks(release, trick))
    autograded = nbgrader(root, "autograde", ASSIGNMENT)
    (root / "autograde.log").write_text(autograded.stdout + autograded.stderr)
    nbgrader(root, "generate_feedback", ASSIGNMENT)
    # After nbgrader has graded: a notebook nbgrader never saw, which is not even JSON.
    (root / "submitted" / "mallory" / ASSIGNMENT).mkdir(parents=True)
    (root / "submitted" / "mallory" / ASSIGNMENT / NOTEBOOK).write_text('{"cells": [')
    done = tfgrade("grade", str(root / "submitted"), "--out", str(root / "trusted"))
    assert done.returncode == 0, done.stderr
    # No --exercise: the notebooks are graded on their assignment's exercises only, not on all twenty.
    assert "grading the exercises of the notebooks' assignment: ex02" in done.stdout
    assert {json.loads(p.read_text())["exercises"][0]["exercise"] for p in (root / "trusted").glob("*/result.json")} \
        == {"ex02"}
    assert all(len(json.loads(p.read_text())["exercises"]) == 1 for p in (root / "trusted").glob("*/result.json"))
    return root


def nbgrader_scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student_id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}


def trusted_score(course: Path, student: str) -> float:
    return json.loads((course / "trusted" / student / "result.json").read_text())["score"]


def graded_cells(course: Path, student: str) -> dict[str, dict]:
    notebook = json.loads((course / "autograded" / student / ASSIGNMENT / NOTEBOOK).read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in notebook["cells"]
            if c["metadata"].get("nbgrader", {}).get("grade")}


def reported(table: str) -> set[str]:
    return {student for student in ["alice", "bob", "carol", "mallory", *TAMPERING] if student in table}


def test_reference_earns_full_marks_and_the_stub_zero(course):
    scores = nbgrader_scores(course)
    assert scores["alice"] == EXERCISE.possible_points() == trusted_score(course, "alice")
    assert scores["bob"] == 0 == trusted_score(course, "bob")
    passed = graded_cells(course, "alice")
    assert len(passed) == len(build.graded_checks(EXERCISE))
    assert all(o["output_type"] == "stream" and o["name"] == "stdout" for c in passed.values() for o in c["outputs"])
    assert "ex02-count-value" in graded_cells(course, "bob")  # the deleted test cell was put back


def test_autograde_warns_of_no_edit_when_no_test_cell_was_edited(course):
    # Nobody here edited a test cell (bob deleted one, which nbgrader reports as missing, not changed).
    log = (course / "autograde.log").read_text()
    assert "checksum" not in log, [line for line in log.splitlines() if "checksum" in line][:3]
    assert "Missing grade cell ex02-count-value" in log


def test_autograde_warns_of_an_edited_test_cell_and_of_nothing_else(tmp_path):
    """nbgrader checksums a hidden test cell before stripping its hidden region, so every released one
    used to differ (jupyter/nbgrader#1961). Autograde without running the notebooks: only the check of
    the cells against the gradebook, which happens before, is wanted here."""
    root = tmp_path / "course"
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "source" / ASSIGNMENT / NOTEBOOK).write_text(build.notebook_text(EXERCISE, solution_text("ex02")))
    config = render("nbgrader_config.py.j2", cell_timeout=CELL_TIMEOUT_SECONDS)
    (root / "nbgrader_config.py").write_text(config + "\nc.Autograde.autograde_preprocessors = []\n")
    nbgrader(root, "generate_assignment", ASSIGNMENT)
    release = json.loads((root / "release" / ASSIGNMENT / NOTEBOOK).read_text())
    hidden = next(g.grade_id for g in build.graded_checks(EXERCISE) if g.case.hidden)
    public = next(g.grade_id for g in build.graded_checks(EXERCISE) if not g.case.hidden)
    submit(root, "honest", release)
    submit(root, "cheater", edited_cells(release, {hidden: "pass", public: "# nothing to check"}))
    log = nbgrader(root, "autograde", ASSIGNMENT).stderr
    warned = sorted(line.split(" for cell ")[1].split()[0] for line in log.splitlines() if "checksum" in line)
    assert warned == sorted([hidden, public]), log[-3000:]
    restored = json.loads((root / "autograded" / "cheater" / ASSIGNMENT / NOTEBOOK).read_text())
    sources = {c["metadata"].get("nbgrader", {}).get("grade_id"): "".join(c["source"]) for c in restored["cells"]}
    assert "BEGIN HIDDEN TESTS" in sources[hidden] and "import check" in sources[public]


def edited_cells(notebook: dict, sources: dict[str, str]) -> dict:
    changed = copy.deepcopy(notebook)
    for cell in changed["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in sources:
            cell["source"] = sources[grade_id]
    return changed


def test_a_wrong_answer_loses_the_right_points_with_a_readable_message(course):
    expected = EXERCISE.possible_points() - VALUE_POINTS
    assert nbgrader_scores(course)["carol"] == expected == trusted_score(course, "carol")
    failed = {grade_id for grade_id, cell in graded_cells(course, "carol").items()
              if any(o["output_type"] == "error" for o in cell["outputs"])}
    assert failed == {g.grade_id for g in build.graded_checks(EXERCISE)
                      if EXERCISE.function_of(g.case).name == "dense_param_count"}
    feedback = (course / "feedback" / "carol" / ASSIGNMENT / f"{EXERCISE.module_name}.html").read_text()
    assert "ex02 case count, returned value (0/2): expected 2,080, got 2,048" in feedback
    # wrapped, as the feedback page cuts long lines off
    assert kernel.wrap("ex02 hidden case, returned value (0/2): failed (hidden case: details are withheld)") \
        in feedback
    assert "HIDDEN TESTS" not in feedback and "Traceback (most recent call last)" not in feedback
    for name in HIDDEN_NAMES:
        assert f"{name}." not in feedback, name


def test_tampering_fools_nbgrader_but_not_the_grade_decided_outside_the_kernel(course):
    scores = nbgrader_scores(course)
    for student in TAMPERING:
        assert scores[student] == EXERCISE.possible_points(), student  # each trick works inside the kernel
        assert trusted_score(course, student) == 0, student


def test_an_unreadable_notebook_scores_zero_with_a_clear_message(course):
    result = json.loads((course / "trusted" / "mallory" / "result.json").read_text())
    exercise = result["exercises"][0]
    assert (exercise["status"], exercise["score"]) == ("error", 0)
    assert f"{NOTEBOOK} could not be read as a notebook" in exercise["message"]


def test_reconcile_reports_every_mismatch_and_writes_the_trusted_grade(course):
    reconcile = ["nbgrader", "reconcile", str(course), "--assignment", ASSIGNMENT, "--grades", str(course / "trusted")]
    done = tfgrade(*reconcile)
    assert done.returncode == 1, done.stderr
    assert reported(done.stdout) == {"dave", "erin", "frank", "mallory"}

    written = tfgrade(*reconcile, "--write")
    assert written.returncode == 1, written.stderr  # mallory has no nbgrader grade to correct
    assert reported(tfgrade(*reconcile).stdout) == {"mallory"}

    nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as file:
        exported = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(file)}
    assert exported["alice"] == EXERCISE.possible_points()
    assert exported["carol"] == EXERCISE.possible_points() - VALUE_POINTS
    assert all(exported[student] == 0 for student in TAMPERING)

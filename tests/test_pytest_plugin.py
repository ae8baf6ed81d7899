"""``pytest --tfgrade``: each check of a student's exercises is a pytest item, graded once per exercise,
only when selected, with the grader's message in pytest's report and in its own JUnit XML.

Each test runs a real pytest session in a subprocess, with the plugin loaded by module name and no other
plugin (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``), so it does not depend on how this environment was installed."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

from helpers import COURSE, mutate, solution_text, stub_text

from autograder import exercises as registry
from autograder.spec import ALL, PUBLIC_ONLY

EX02 = registry.get("ex02")


def check_names(exercise, visibilities=PUBLIC_ONLY) -> list[str]:
    return [f"{case.name}.{check.id}" for case in exercise.cases_for(visibilities) for check in exercise.checks_for(case)]


def pytest_run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "-p", "autograder.pytest_plugin", "-p", "no:cacheprovider",
               "-o", "addopts=", *args]
    environ = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})}
    return subprocess.run(command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=900,
                          check=False)


def junit_cases(path: Path) -> dict[str, dict[str, ET.Element]]:
    """``{folder: {check: testcase}}`` from pytest's JUnit XML (classname ``<folder>.<module>``)."""
    cases: dict[str, dict[str, ET.Element]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        folder, module = case.get("classname").rsplit(".", 1)
        assert module == EX02.module_name, case.attrib
        cases.setdefault(folder, {})[case.get("name")] = case
    return cases


def failure(case: ET.Element) -> str | None:
    found = case.find("failure")
    return None if found is None else found.get("message")


def test_the_entry_point_registers_the_plugin():
    found = {ep.name: ep.value for ep in metadata.entry_points(group="pytest11")}
    assert found.get("tfgrade") == "autograder.pytest_plugin"


def test_each_check_is_a_test_case_with_the_graders_message(tmp_path):
    for folder, text in (("good", solution_text("ex02")), ("stub", stub_text("ex02")),
                         ("bad", mutate("ex02", ("return inputs * units + units", "return inputs * units")))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / EX02.filename).write_text(text)
    (tmp_path / "empty").mkdir()
    run = pytest_run(tmp_path, "--tfgrade", "good", "bad", "stub", "empty", "-k", "ex02", "--junitxml", "out.xml")
    assert run.returncode == 1, run.stdout + run.stderr

    cases = junit_cases(tmp_path / "out.xml")
    assert sorted(cases) == ["bad", "empty", "good", "stub"]
    for folder in cases.values():
        assert sorted(folder) == sorted(check_names(EX02))
    assert [name for name, case in cases["good"].items() if failure(case)] == []
    assert {name: failure(case).splitlines()[0] for name, case in cases["bad"].items() if failure(case)} == {
        "count.value": "expected 2,080, got 2,048"}
    assert all("is not implemented yet" in failure(case) for case in cases["stub"].values())
    assert all(failure(case).startswith(f"{EX02.filename} was not found in the submission (searched ")
               for case in cases["empty"].values())
    # The terminal's own report: the check as headline, its message, and the points per exercise graded.
    assert "ex02_dense::count.value" in run.stdout and "expected 2,080, got 2,048" in run.stdout
    possible = f"{EX02.possible_points(PUBLIC_ONLY):g}"
    assert f"{EX02.id} {EX02.title} in {tmp_path / 'good'}: {possible} / {possible} points" in run.stdout


FAKE_GRADING = '''
"""Stands in for grading: writes down each exercise graded and passes every check."""
import os

from autograder import sandbox
from autograder.grading import grade
from autograder.results import CheckResult, ExerciseResult


def grade_exercise(exercise, source, visibilities, reference, measure_once=False, deadline=None):
    with open(os.environ["GRADED_LOG"], "a") as log:
        log.write(exercise.id + "\\n")
    checks = [CheckResult(exercise.id, f"{case.name}.{check.id}", check.kind, case.name, check.title, check.points,
                          check.points, True, "", case.visibility)
              for case in exercise.cases_for(visibilities) for check in exercise.checks_for(case)]
    return ExerciseResult(exercise.id, exercise.title, "graded", checks)


grade.grade_exercise = grade_exercise
sandbox.warm_up = lambda: None
'''


def test_deselected_exercises_are_never_graded_and_each_selected_one_once(tmp_path):
    (tmp_path / "fake_grading.py").write_text(FAKE_GRADING)
    assignments = tmp_path / "assignments"
    assignments.mkdir()
    for exercise in registry.all_exercises():
        (assignments / exercise.filename).write_text(stub_text(exercise.id))
    log = tmp_path / "graded.log"
    run = pytest_run(tmp_path, "-p", "fake_grading", "--tfgrade", "-k", "ex02 or (ex06 and default)",
                     "--junitxml", "out.xml", env={"PYTHONPATH": str(tmp_path), "GRADED_LOG": str(log)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert log.read_text().split() == ["ex02", "ex06"]
    ran = [(case.get("classname"), case.get("name")) for case in ET.parse(tmp_path / "out.xml").iter("testcase")]
    ex06 = registry.get("ex06")
    assert ran == ([("assignments.ex02_dense", name) for name in check_names(EX02)]
                   + [(f"assignments.{ex06.module_name}", name) for name in check_names(ex06)
                      if name.startswith("default.")])


def test_inert_without_tfgrade(tmp_path):
    (tmp_path / "assignments").mkdir()
    (tmp_path / "assignments" / EX02.filename).write_text(stub_text("ex02"))
    (tmp_path / "test_plain.py").write_text("def test_one():\n    pass\n")
    plain = pytest_run(tmp_path, "--collect-only", "-q")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "test_plain.py::test_one" in plain.stdout and "1 test collected" in plain.stdout
    assert "tfgrade" not in plain.stdout

    checks = pytest_run(tmp_path, "--tfgrade", "--collect-only", "-q")
    assert checks.returncode == 0, checks.stdout + checks.stderr
    expected = sum(len(check_names(exercise)) for exercise in registry.all_exercises())
    assert f"{expected} tests collected" in checks.stdout and "test_plain" not in checks.stdout
    assert "assignments/ex02_dense.py::count.value" in checks.stdout


def test_hidden_checks_only_where_the_course_has_its_solutions(tmp_path):
    (tmp_path / "empty").mkdir()
    hidden = pytest_run(tmp_path, "--tfgrade-hidden", "empty", "-k", "ex02", "--collect-only", "-q")
    assert hidden.returncode == 0 and COURSE.has_solutions, hidden.stdout + hidden.stderr
    assert f"{len(check_names(EX02, ALL))}/" in hidden.stdout  # "15/224 tests collected (209 deselected)"
    assert "empty/ex02_dense.py::wine.layer_types" in hidden.stdout

    bundle = tmp_path / "bundle"  # a course without solutions/, as a student's bundle
    bundle.mkdir()
    refused = pytest_run(tmp_path, "--tfgrade-hidden", "empty", "--collect-only", "-q",
                         env={"TFGRADE_COURSE": str(bundle)})
    assert refused.returncode == 4 and "--tfgrade-hidden needs the course's solutions/" in refused.stderr

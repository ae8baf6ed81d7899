"""The ``tfgrade`` console script as users run it: list, check, grade, validate, release."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import COURSE, solution_text

from autograder import exercises as registry

TFGRADE = str(Path(sys.executable).parent / "tfgrade")
EXERCISE = registry.get("ex02")  # cheapest exercise with hidden cases, a metric and a value function


def tfgrade(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([TFGRADE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def submission(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / EXERCISE.filename).write_text(source)
    return folder


def test_list_names_every_exercise_with_points():
    done = tfgrade("list", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [e["id"] for e in listed] == [e.id for e in registry.all_exercises()]
    assert all(e["public_points"] > 0 and e["points"] > e["public_points"] for e in listed)


def test_check_on_the_untouched_assignments_scores_zero_with_what_to_do(tmp_path):
    shutil.copytree(COURSE.assignments, tmp_path / "assignments")
    done = tfgrade("check", "2", "--json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert result["score"] == 0 and result["possible"] > 0 and result["visibility"] == "public"
    assert all(c["visibility"] == "public" for e in result["exercises"] for c in e["checks"])
    assert "is not implemented yet" in result["exercises"][0]["message"]


def test_check_of_a_finished_exercise_prints_a_clean_report(tmp_path):
    folder = submission(tmp_path, "alice", solution_text("ex02"))
    done = tfgrade("check", "dense", "--path", str(folder))
    assert done.returncode == 0
    assert "Total" in done.stdout and "✓" in done.stdout and "✗" not in done.stdout
    # TensorFlow's and Keras' log lines never reach the student's terminal.
    assert done.stderr == ""


def test_grade_writes_a_result_with_hidden_checks(tmp_path):
    wrong = solution_text("ex02").replace("return inputs * units + units", "return inputs * units")
    folder = submission(tmp_path, "bob", wrong)
    done = tfgrade("grade", str(folder), "--out", str(tmp_path / "out"), "--exercise", "ex02")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out" / "bob" / "result.json").read_text())
    checks = result["exercises"][0]["checks"]
    assert {c["visibility"] for c in checks} == {"public", "hidden"}
    failed = {c["check_id"] for c in checks if not c["passed"]}
    assert failed == {"count.value", "count_wide.value", "count_one.value"}
    assert result["score"] == result["possible"] - 3 * 2


def test_grade_shows_the_references_being_computed_then_a_short_report_naming_what_failed(tmp_path):
    # A course of its own has no cached reference: the first grade computes it (minutes for a whole course).
    course = tmp_path / "course"
    shutil.copytree(COURSE.solutions, course / "solutions")
    wrong = solution_text("ex02").replace("return inputs * units + units", "return inputs * units")
    folder = submission(tmp_path, "bob", wrong)
    done = tfgrade("grade", str(folder), "--out", str(tmp_path / "out"), "--exercise", "ex02",
                   env={**os.environ, "TFGRADE_COURSE": str(course)})
    assert done.returncode == 0, done.stderr
    assert "computing reference observations: ex02 dense (1/1)" in done.stderr
    assert "reference observations computed in " in done.stderr
    lines = done.stdout.splitlines()
    # One line for the exercise, one per failed check with its message (a hidden case's withheld, as in the
    # full report), the total and where the rest is; not every check of every case.
    assert lines[0].startswith("ex02 ") and "20 / 26" in lines[0]
    assert "✗ count: returned value 0/2  expected 2,080, got 2,048" in done.stdout
    assert "✗ count_wide (hidden): returned value 0/2  failed (hidden case: details are withheld)" in done.stdout
    assert "✓" not in done.stdout and "layer types" not in done.stdout and len(lines) <= 10, lines
    assert any(line.startswith("Total 20 / 26") for line in lines)


def test_validate_passes_for_a_sound_exercise():
    done = tfgrade("validate", "2", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["exercises"][0]["reference_score"] == report["exercises"][0]["possible"]
    assert report["exercises"][0]["stub_score"] == 0


def test_validate_reports_each_exercise_once():
    done = tfgrade("validate", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ex02") == 1 and "ok" in done.stdout


def test_unknown_exercise_is_a_usage_error():
    done = tfgrade("check", "99")
    assert done.returncode == 2 and "no exercise called '99'" in done.stderr


def test_a_reader_that_stops_early_ends_the_output_without_a_traceback():
    # As `tfgrade check --json | head` does: the pipe closes while tfgrade still writes (here a command
    # made to write far more than a pipe holds).
    script = ("import sys; from autograder import cli; from autograder.commands import listing; "
              "listing.main = lambda **options: print('x' * 1000 * 1000) or 0; sys.exit(cli.main(['list']))")
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    writer.stdout.read(10)
    writer.stdout.close()
    stderr = writer.stderr.read().decode()
    assert writer.wait(timeout=120) == 141 and "Traceback" not in stderr, stderr


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "bundle"
    done = tfgrade("release", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_release_holds_no_solution_code_and_no_hidden_cases(bundle):
    assert not (bundle / "solutions").exists() and not (bundle / "tests").exists()
    texts = {p: p.read_text(errors="replace") for p in bundle.rglob("*") if p.is_file()}
    for exercise in registry.all_exercises():
        solution = (COURSE.solutions / exercise.filename).read_text()
        body = solution.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0].strip()
        assert not any(body in text for text in texts.values()), f"{exercise.id} solution leaked"
        hidden = [case.name for case in exercise.cases if case.hidden]
        spec = texts[bundle / "autograder" / "exercises" / exercise.filename]
        assert hidden and not any(f'"{name}"' in spec for name in hidden), f"{exercise.id} hidden case leaked"
    public = json.loads((bundle / "autograder" / "reference_public.json").read_text())
    assert set(public) == {e.id for e in registry.all_exercises()}
    assert not any(c.hidden for e in registry.all_exercises() for c in e.cases if c.name in public[e.id])


def test_release_holds_no_misconception(bundle):
    # The kit's known wrong submissions quote the reference: a bundle's specs declare none.
    for exercise in registry.all_exercises():
        spec = (bundle / "autograder" / "exercises" / exercise.filename).read_text()
        stub = (bundle / "assignments" / exercise.filename).read_text()
        assert exercise.misconceptions and "Misconception(" not in spec, exercise.id
        # Short fragments ("epochs=epochs, batch_size=32") and the task's own code occur in the spec's hints.
        assert not [fragment for misconception in exercise.misconceptions for edit in misconception.edits
                    for fragment in edit if len(fragment) >= 32 and fragment in spec and fragment not in stub]


def test_the_bundle_installs_without_nbgrader_and_tests_without_the_course_settings(bundle):
    import tomllib

    project = tomllib.loads((bundle / "pyproject.toml").read_text())
    assert not any(d.startswith("nbgrader") for d in project["project"]["dependencies"])
    assert any(d.startswith("pytest") for d in project["project"]["dependencies"])
    assert project["project"]["optional-dependencies"]["notebooks"] == ["nbgrader>=0.9"]
    assert project["tool"]["pytest"]["ini_options"] == {"addopts": "-ra"}  # no xdist workers, no tests/ folder
    assert project["project"]["scripts"]["tfgrade"] == "autograder.cli:main"


def test_the_bundle_checks_a_student_without_solutions(bundle):
    env = {**os.environ, "PYTHONPATH": str(bundle)}
    python = [sys.executable, "-m", "autograder"]
    listed = subprocess.run([*python, "list", "--json"], cwd=bundle, env=env, capture_output=True, text=True)
    assert "points" not in json.loads(listed.stdout)[0]  # a student sees public points only
    stub = subprocess.run([*python, "check", "2", "--json"], cwd=bundle, env=env, capture_output=True, text=True)
    assert json.loads(stub.stdout)["score"] == 0
    (bundle / "assignments" / EXERCISE.filename).write_text(solution_text("ex02"))
    done = subprocess.run([*python, "check", "2", "--json"], cwd=bundle, env=env, capture_output=True, text=True)
    result = json.loads(done.stdout)
    assert done.returncode == 0 and result["score"] == result["possible"] > 0

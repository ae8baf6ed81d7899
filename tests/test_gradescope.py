"""The Gradescope autograder zip: its entry points, its contents, and a run on one submission."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata

import pytest
from helpers import solution_text
from test_cli import TFGRADE, tfgrade

from autograder.course import versions


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    # An assignment of two exercises: the zip measures (on the course secret's data) only their references.
    done = tfgrade("gradescope", "--out", str(out), "--exercise", "2", "--exercise", "ex06")
    assert done.returncode == 0, done.stderr
    return out


def test_zip_has_gradescope_entry_points_and_the_course(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        assert {"setup.sh", "run_autograder", "check_pins.py", "course/pyproject.toml"} <= names
        assert {"constraints.txt", "requirements.txt", "python-version.txt"} <= names
        assert any(n.startswith("course/solutions/ex06_") for n in names)
        assert any(n.startswith("course/.tfgrade/cache/") for n in names)
        assert archive.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert archive.read("course/exercises.txt").decode() == "ex02\nex06\n"
        assert len([n for n in names if n.startswith("course/.tfgrade/cache/")]) == 2


def test_run_autograder_writes_results_for_a_nested_upload(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extract("run_autograder", tmp_path)
    upload = tmp_path / "submission" / "my-work"  # students often upload a folder
    upload.mkdir(parents=True)
    (upload / "ex02_dense.py").write_text(solution_text("ex02").replace("units + units", "units"))
    env = {**os.environ, "AUTOGRADER_ROOT": str(tmp_path), "TFGRADE": TFGRADE}
    script = tmp_path / "run_autograder"
    script.chmod(0o755)
    subprocess.run([str(script)], env=env, check=True, timeout=900)
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    ex02 = [t for t in results["tests"] if t["name"].startswith("ex02")]
    assert ex02 and all(isinstance(t["score"], float) for t in results["tests"])
    counted = [t for t in ex02 if "returned value" in t["name"]]  # dense_param_count is the broken function
    assert counted and {t["status"] for t in counted} == {"failed"}
    assert {t["status"] for t in ex02 if "layer types" in t["name"]} == {"passed"}
    missing = [t for t in results["tests"] if t["name"].startswith("ex06")]
    assert missing and all(t["score"] == 0 for t in missing)


def test_zip_pins_the_versions_its_references_were_measured_with(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        pins = dict(line.split("==") for line in archive.read("constraints.txt").decode().splitlines()
                    if line and not line.startswith("#"))
        python = archive.read("python-version.txt").decode().strip()
    assert pins["keras"] == metadata.version("keras") and pins["numpy"] == metadata.version("numpy")
    assert pins["tensorflow-cpu"] == pins["tensorflow"] == versions.installed("tensorflow")
    assert "tfgrade" not in pins and "pip" not in pins
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_the_reference_key_names_tensorflow_whichever_distribution_installs_it():
    providers = metadata.packages_distributions()["tensorflow"]
    assert versions.installed("tensorflow") == metadata.version(providers[0]) != "-"


def gradescope_root(autograder_zip, tmp_path):
    """Gradescope's layout under a temporary root, with ex02's solution as the submission, and the
    environment that runs its scripts there, setup.sh reusing this interpreter's packages."""
    root = tmp_path / "autograder"
    source = root / "source"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(source)
    shutil.copy(source / "run_autograder", root / "run_autograder")  # as Gradescope does
    (root / "submission").mkdir()
    (root / "submission" / "ex02_dense.py").write_text(solution_text("ex02"))
    env = {k: v for k, v in os.environ.items() if k not in ("TFGRADE", "TFGRADE_COURSE")}
    env.update(AUTOGRADER_ROOT=str(root), TFGRADE_SETUP_PYTHON=sys.executable)
    return root, env


def test_setup_and_run_autograder_grade_with_the_zips_references(autograder_zip, tmp_path):
    """setup.sh checks this interpreter's packages against the pins, so it installs nothing; then
    run_autograder grades ex02's solution with the references the zip carries."""
    root, env = gradescope_root(autograder_zip, tmp_path)
    source = root / "source"
    setup = subprocess.run(["bash", str(source / "setup.sh")], env=env, capture_output=True, text=True,
                           timeout=600)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "already installed at the pinned versions" in setup.stdout
    assert "references of its 2 exercises match this environment" in setup.stdout
    cache = source / "course" / ".tfgrade" / "cache"
    shipped = {path.name: path.stat().st_mtime_ns for path in cache.glob("*.json")}
    assert len(shipped) == 2

    done = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    ex02 = [t for t in results["tests"] if t["name"].startswith("ex02")]
    assert ex02 and sum(t["score"] for t in ex02) == sum(t["max_score"] for t in ex02) > 0
    assert {t["name"][:4] for t in results["tests"]} == {"ex02", "ex06"}  # the assignment's exercises only
    # No reference was measured in the container: the shipped files are untouched and no other appeared.
    assert {path.name: path.stat().st_mtime_ns for path in cache.glob("*.json")} == shipped
    assert "recomputed" not in done.stdout
    assert "Width of a Dense layer" in done.stdout  # the report reaches Gradescope's results/stdout


def test_a_failed_grading_says_which_step_failed_with_the_log(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extract("run_autograder", tmp_path)
    (tmp_path / "submission").mkdir()
    script = ["bash", str(tmp_path / "run_autograder")]
    env = {**os.environ, "AUTOGRADER_ROOT": str(tmp_path)}
    env.pop("TFGRADE", None)
    subprocess.run(script, env=env, check=True, timeout=60)  # setup.sh never ran: no venv
    output = json.loads((tmp_path / "results" / "results.json").read_text())["output"]
    assert "tfgrade is not installed" in output and "setup.sh failed" in output

    broken = tmp_path / "broken-tfgrade"
    broken.write_text("#!/bin/sh\necho 'Traceback: ImportError: no module named keras' >&2\nexit 2\n")
    broken.chmod(0o755)
    done = subprocess.run(script, env={**env, "TFGRADE": str(broken)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "ImportError" in done.stdout  # in results/stdout, for the instructor
    output = json.loads((tmp_path / "results" / "results.json").read_text())["output"]
    assert "`tfgrade grade` exited with status 2" in output and "no module named keras" in output


def test_setup_fails_when_a_shipped_reference_would_be_recomputed(autograder_zip, tmp_path):
    root, env = gradescope_root(autograder_zip, tmp_path)
    for shipped in (root / "source" / "course" / ".tfgrade" / "cache").glob("ex06_*.json"):
        shipped.unlink()  # as if measured with other versions: its key is not this environment's
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True,
                           timeout=600)
    assert setup.returncode == 1
    assert "the zip's references of ex06 do not match this environment" in setup.stdout
    assert "tensorflow " + versions.installed("tensorflow") in setup.stdout


def test_check_pins_names_each_version_that_differs(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extract("check_pins.py", tmp_path)
    (tmp_path / "requirements.txt").write_text("numpy>=1.26\nno-such-distribution>=1\n")
    (tmp_path / "constraints.txt").write_text(f"numpy==0.0.1\nkeras=={metadata.version('keras')}\n")
    done = subprocess.run([sys.executable, str(tmp_path / "check_pins.py"), str(tmp_path / "requirements.txt"),
                           str(tmp_path / "constraints.txt")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"numpy {metadata.version('numpy')} is installed; the references were measured with 0.0.1" in done.stdout
    assert "no-such-distribution is not installed" in done.stdout and "keras" not in done.stdout

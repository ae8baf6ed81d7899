"""The Gradescope autograder zip: its entry points, its contents, and a run on one submission."""

import json
import os
import subprocess
import zipfile

import pytest
from helpers import solution_text
from test_cli import TFGRADE, tfgrade


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    done = tfgrade("gradescope", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_zip_has_gradescope_entry_points_and_the_course(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        assert {"setup.sh", "run_autograder", "course/pyproject.toml"} <= names
        assert any(n.startswith("course/solutions/ex06_") for n in names)
        assert any(n.startswith("course/.tfgrade/cache/") for n in names)
        assert archive.getinfo("run_autograder").external_attr >> 16 & 0o111


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

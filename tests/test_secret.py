"""The course secret: made once and kept private, turned into the data key that decides the instructor's
splits, handed to the trusted measuring child only, never to a student's child, a student bundle or a
public reference; and carried by the Gradescope autograder, which grades for the instructor."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder.children import measure as measuring_child
from autograder.course import Course, datasets, secret
from autograder.errors import UsageError
from autograder.grading import reference as reference_module
from autograder.grading import runs
from autograder.grading.reference import ComputedReference
from autograder.sandbox import process

PIPELINE = registry.get("ex19")  # its cases hand the child arrays of breast_cancer
KEY = secret.derive_key("a course secret for the tests")


@pytest.fixture
def course(tmp_path, monkeypatch) -> Course:
    """A course of its own, with no secret yet and none in the environment."""
    monkeypatch.setenv("TFGRADE_COURSE", str(tmp_path / "course"))
    monkeypatch.delenv(secret.ENV, raising=False)
    (tmp_path / "course").mkdir()
    return Course.locate()


# ------------------------------------------------------------------------------------------ the secret


def test_a_secret_is_made_once_readable_by_its_owner_only(course):
    assert secret.data_key(course) == (None, None)
    key, made = secret.data_key(course, create_missing=True)
    assert made == course.secret_file and stat.S_IMODE(course.secret_file.stat().st_mode) == 0o600
    text = course.secret_file.read_text()
    assert len(text.strip()) == 64 and int(text, 16) >= 0  # 32 random bytes, hex
    assert secret.data_key(course, create_missing=True) == (key, None)  # kept, not made again
    assert course.secret_file.read_text() == text
    assert not [p for p in course.secret_file.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_key_is_derived_from_the_secret_never_the_secret_itself(course):
    key, _ = secret.data_key(course, create_missing=True)
    value = course.secret_file.read_text().strip()
    assert key == secret.derive_key(value) and len(key) == 64 and value not in key
    assert secret.derive_key(value + "x") != key


def test_processes_making_the_secret_at_once_all_get_the_same_one(course):
    answers, start = [], threading.Barrier(8)

    def make():
        start.wait()
        answers.append(secret.data_key(course, create_missing=True))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({key for key, _ in answers}) == 1 and sum(made is not None for _, made in answers) == 1
    assert len(list(course.secret_file.parent.iterdir())) == 1


def test_the_environment_comes_before_the_file(course, monkeypatch):
    secret.create(course.secret_file)
    monkeypatch.setenv(secret.ENV, "from the environment")
    assert secret.data_key(course) == (secret.derive_key("from the environment"), None)
    monkeypatch.setenv(secret.ENV, "")  # empty: not a secret
    assert secret.data_key(course)[0] == secret.derive_key(course.secret_file.read_text().strip())


def test_a_link_in_place_of_the_secret_is_refused_not_followed(course, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("f" * 64)
    course.secret_file.parent.mkdir(parents=True)
    course.secret_file.symlink_to(elsewhere)
    with pytest.raises(UsageError, match="symbolic link"):
        secret.data_key(course)
    with pytest.raises(UsageError, match="symbolic link"):
        secret.data_key(course, create_missing=True)
    assert elsewhere.read_text() == "f" * 64


@pytest.mark.parametrize("content, message", [(b"", "empty"), (b" \n", "empty"), (b"a" * 5000, "larger than")])
def test_an_empty_or_oversized_secret_file_is_refused(course, content, message):
    course.secret_file.parent.mkdir(parents=True)
    course.secret_file.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        secret.data_key(course)


def test_a_folder_in_place_of_the_secret_is_refused(course):
    course.secret_file.mkdir(parents=True)
    with pytest.raises(UsageError):
        secret.data_key(course)


def test_the_secret_leaves_the_environment_once_read(monkeypatch):
    monkeypatch.setenv(secret.ENV, "read once")
    secret.forget_environment()
    assert secret.ENV not in os.environ


# ------------------------------------------------------------------------------ who holds the key


def test_a_run_child_is_handed_keyed_arrays_and_never_the_key(course):
    case = PIPELINE.cases[0]
    public = runs.case_call(PIPELINE, case, None)
    with datasets.keyed(KEY):
        call = runs.case_call(PIPELINE, case, None)
        expected = datasets.load("breast_cancer", seed=case.seed)
    arrays = {name: value for name, value in call["kwargs"].items() if isinstance(value, np.ndarray)}
    assert arrays and all(not np.array_equal(value, public["kwargs"][name]) for name, value in arrays.items())
    assert np.array_equal(arrays["x"], expected.x_train)
    payload = pickle.dumps({"source": "ex19_tf_data.py", "calls": {case.name: call}})
    assert KEY.encode() not in payload and datasets.key_tag(KEY).encode() not in payload
    assert call["seed"] == case.seed  # the public seed: the key is what the child does not have


def test_the_measuring_child_is_handed_the_key_and_applies_it(tmp_path, monkeypatch):
    handed = {}

    def run_isolated(target, kwargs, **_):
        handed.update(target=target, **kwargs)
        return process.ChildOutcome("crashed", 1, 0.0, "", "")

    monkeypatch.setattr(runs.sandbox, "run_isolated", run_isolated)
    ran = runs._Ran(PIPELINE.cases[0], tmp_path, "")
    with datasets.keyed(KEY):
        runs._measure(PIPELINE, [ran], tmp_path, None, {})
    assert handed["target"] == "autograder.children.measure:measure_runs" and handed["data_key"] == KEY
    runs._measure(PIPELINE, [ran], tmp_path, None, {})
    assert handed["data_key"] is None

    seen = []
    monkeypatch.setattr(measuring_child, "_measure_runs", lambda runs: seen.append(datasets.current_key()))
    measuring_child.measure_runs(runs={}, data_key=KEY)
    measuring_child.measure_runs(runs={})
    assert seen == [KEY, None] and datasets.current_key() is None


def test_no_child_environment_holds_the_secret(monkeypatch):
    monkeypatch.setenv(secret.ENV, "not for children")
    environment = process.child_environment()
    assert secret.ENV not in environment and environment["PATH"] == os.environ["PATH"]
    with process._scrubbed_environment():  # how the forkserver, which every child comes from, starts
        assert secret.ENV not in os.environ
    assert os.environ[secret.ENV] == "not for children"


def test_the_forkserver_keeps_only_what_python_and_tensorflow_read(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "an instructor's key")
    monkeypatch.setenv("GITHUB_TOKEN", "a CI's token")
    monkeypatch.setenv("TF_NUM_INTEROP_THREADS", "1")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    with process._scrubbed_environment():
        during = dict(os.environ)
    assert {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", secret.ENV} & set(during) == set()
    assert during["TF_NUM_INTEROP_THREADS"] == "1" and during["LC_ALL"] == "C.UTF-8"
    assert during["PATH"] == os.environ["PATH"] and os.environ["GITHUB_TOKEN"] == "a CI's token"


CHILD = """
import json, os, sys
from pathlib import Path
from autograder import sandbox
from autograder.course import Course, secret
from autograder.sandbox import confine

secret.create(Course.locate().secret_file)
secret.data_key()
secret.forget_environment()  # as the grading commands do once they hold the key
sandbox.warm_up()
work = Path(sys.argv[1])
outcome = sandbox.run_isolated(
    "sandbox_targets:write_what_holds_the_secret",
    {"secret": sys.argv[2], "grader_pid": os.getpid(), "secret_file": str(Course.locate().secret_file)},
    workdir=work, limits=sandbox.Limits(wall_seconds=120), confinement=confine.for_submission(work))
print(json.dumps({"ok": outcome.ok, "stderr": outcome.stderr}))
"""


def test_a_confined_child_finds_the_secret_nowhere(tmp_path):
    """A real grading process with ``TFGRADE_SECRET`` set: its child sees it neither in its environment,
    nor in the one the kernel shows for it, its forkserver or the grading process, nor in the file; nor
    another variable of the grader's (``CLOUD_TOKEN``), which no child needs."""
    value = "a secret set in the environment " + os.urandom(8).hex()
    (tmp_path / "course").mkdir()
    env = {**os.environ, secret.ENV: value, "TFGRADE_COURSE": str(tmp_path / "course"), "CLOUD_TOKEN": value,
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "work"), value], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and json.loads(done.stdout)["ok"], done.stdout + done.stderr
    found = json.loads((tmp_path / "work" / "environment.json").read_text())
    assert found["os_environ"] == found["own_proc"] == "no", found
    # Another process' environment: scrubbed of the secret, and out of a confined child's view altogether.
    # not in the /proc of its PID namespace, or refused by Landlock
    hidden = ("FileNotFoundError" if "private /proc" in process.confine.available()
              else "PermissionError" if process.confine.landlock_abi() >= 1 else "no")
    assert found["forkserver_proc"] == found["grader_proc"] == hidden, found
    if "mount namespace" in process.confine.available():
        assert found["secret_file"] == "FileNotFoundError", found  # not in the child's root at all
    elif process.confine.landlock_abi() >= 1:
        assert found["secret_file"] == "PermissionError", found


# --------------------------------------------------------------------------------- the reference cache


def _course_copy(tmp_path: Path) -> Course:
    course = Course(tmp_path / "copy")
    shutil.copytree(COURSE.solutions, course.solutions)
    return course


def test_each_data_key_has_reference_files_of_its_own(tmp_path, monkeypatch):
    measured = []

    def fake_measure(exercise, source, cases, workdir):
        measured.append(datasets.current_key())
        return {case.name: type("Run", (), {"failure": None, "observations": {"o": {"value": str(datasets.current_key())}}})
                for case in cases}

    monkeypatch.setattr(runs, "run_and_measure", fake_measure)
    reference, exercise = ComputedReference(_course_copy(tmp_path)), registry.get("ex02")
    public = reference.cache_file(exercise)
    with datasets.keyed(KEY):
        keyed = reference.cache_file(exercise)
        keyed_observations = reference.observations(exercise, exercise.cases[:1])
    with datasets.keyed(secret.derive_key("another course")):
        other = reference.cache_file(exercise)
    public_observations = reference.observations(exercise, exercise.cases[:1])
    assert len({public, keyed, other}) == 3 and "-key" not in public.name
    assert KEY not in keyed.name and datasets.key_tag(KEY) in keyed.name
    assert measured == [KEY, None]  # measured once per key, under that key
    assert keyed_observations != public_observations
    assert public.is_file() and keyed.is_file()  # neither cleared the other away as stale
    public_version = reference.version([exercise])  # what a batch's reruns compare: regraded under a new key
    with datasets.keyed(KEY):
        assert reference.version([exercise]) != public_version


# ------------------------------------------------------------------------ what ships, and to whom


@pytest.fixture
def stubbed_course(tmp_path, monkeypatch) -> tuple[Course, list[str | None]]:
    """A course checkout whose references are not measured (the tests look at what ships, not at grades),
    and the data keys its references were asked for under."""
    root = tmp_path / "course"
    for folder in ("solutions", "assignments"):
        shutil.copytree(COURSE.root / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(COURSE.root / "pyproject.toml", root / "pyproject.toml")
    monkeypatch.setenv("TFGRADE_COURSE", str(root))
    monkeypatch.delenv(secret.ENV, raising=False)
    keys = []

    def observations(self, exercise, cases):
        keys.append(datasets.current_key())
        path = self.cache_file(exercise)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({case.name: {} for case in cases}))
        return {case.name: {} for case in cases}

    monkeypatch.setattr(reference_module.ComputedReference, "observations", observations)
    monkeypatch.setattr("autograder.sandbox.warm_up", lambda: None)
    monkeypatch.setattr("autograder.spec.stubs.out_of_sync", lambda *args: [])  # others may be editing them
    return Course.locate(), keys


def test_the_student_bundle_holds_no_secret_and_is_measured_on_public_data(stubbed_course, tmp_path, monkeypatch):
    from autograder.commands import release

    stubbed_course, keys = stubbed_course
    secret.create(stubbed_course.secret_file)
    value = stubbed_course.secret_file.read_text().strip()
    monkeypatch.setenv(secret.ENV, "an environment secret too")
    assert release.main(out=tmp_path / "bundle") == 0
    assert set(keys) == {None}
    texts = [path.read_bytes() for path in (tmp_path / "bundle").rglob("*") if path.is_file()]
    for needle in (value, secret.derive_key(value), "an environment secret too",
                   secret.derive_key("an environment secret too")):
        assert not any(needle.encode() in text for text in texts), needle
    assert not list((tmp_path / "bundle").rglob(".tfgrade"))
    (tmp_path / "bundle" / ".tfgrade").mkdir()
    (tmp_path / "bundle" / ".tfgrade" / "secret").write_text(value)
    assert release.leaked_files(tmp_path / "bundle") == [".tfgrade/secret"]


def test_the_gradescope_autograder_carries_the_secret_and_its_references(stubbed_course, tmp_path, capsys):
    from autograder.commands import gradescope

    stubbed_course, keys = stubbed_course
    assert not stubbed_course.secret_file.exists()
    assert gradescope.main(out=tmp_path / "autograder.zip") == 0
    assert str(stubbed_course.secret_file) in capsys.readouterr().err  # made now, and said where
    key = secret.data_key(stubbed_course)[0]
    assert key is not None and set(keys) == {key}
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
        cached = [n for n in archive.namelist() if n.startswith("course/.tfgrade/cache/")]
    shipped = Course(tmp_path / "unzipped" / "course")
    assert secret.data_key(shipped) == (key, None)  # Gradescope's `tfgrade grade` grades on the same data
    assert len(cached) == len(registry.all_exercises()) and all(datasets.key_tag(key) in n for n in cached)


def test_the_gradescope_autograder_carries_a_secret_set_in_the_environment(stubbed_course, tmp_path, monkeypatch):
    from autograder.commands import gradescope

    stubbed_course, keys = stubbed_course
    monkeypatch.setenv(secret.ENV, "the instructor's own")
    assert gradescope.main(out=tmp_path / "autograder.zip") == 0
    assert not stubbed_course.secret_file.exists() and secret.ENV not in os.environ
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    key = secret.derive_key("the instructor's own")
    assert set(keys) == {key}
    assert secret.data_key(Course(tmp_path / "unzipped" / "course")) == (key, None)


def test_a_course_where_no_secret_can_be_made_is_told_what_to_do(course):
    (course.root / ".tfgrade").write_text("a file where the folder would go")
    with pytest.raises(UsageError, match=f"cannot create the course secret .*{secret.ENV}"):
        secret.data_key(course, create_missing=True)


def test_a_check_grades_on_the_public_data_whatever_secret_the_course_has(course, tmp_path, monkeypatch):
    from autograder import daemon
    from autograder.commands import check

    secret.create(course.secret_file)
    address = daemon.Address.for_course(course)
    monkeypatch.setenv(secret.ENV, "set in the instructor's shell")
    assert daemon.Address.for_course(course) == address  # the warm grader is neither told nor keyed by it
    keys = []
    monkeypatch.setattr(check.sandbox, "warm_up", lambda: None)
    monkeypatch.setattr(check, "grade_submission", lambda *args, **kwargs: keys.append(datasets.current_key()))
    check._check(tmp_path, [PIPELINE], None, use_daemon=False, progress=check.Progress([PIPELINE], tmp_path))
    assert keys == [None]


def test_grade_makes_the_secret_on_first_use_and_grades_under_its_key(stubbed_course, tmp_path, monkeypatch, capsys):
    from autograder.commands import grade

    stubbed_course, _ = stubbed_course
    keys = []

    class Graded(Exception):
        pass

    def grade_batch(*args, **kwargs):
        keys.append(datasets.current_key())
        raise Graded

    monkeypatch.setattr(grade, "grade_batch", grade_batch)
    monkeypatch.setattr(grade.sandbox, "warm_up", lambda: None)
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "ex02_dense.py").write_text("")
    with pytest.raises(Graded):
        grade.main(submission=tmp_path / "alice", out=tmp_path / "out", exercises=["ex02"], json=True)
    note = capsys.readouterr().err
    assert str(stubbed_course.secret_file) in note and secret.ENV in note and "every machine" in note
    assert keys == [secret.data_key(stubbed_course)[0]] and keys[0] is not None and datasets.current_key() is None
    with pytest.raises(Graded):
        grade.main(submission=tmp_path / "alice", out=tmp_path / "out", exercises=["ex02"], json=True)
    assert capsys.readouterr().err == "" and keys[1] == keys[0]  # made once, then kept


def test_the_environment_is_changed_only_while_the_forkserver_starts(monkeypatch):
    """Other threads of the grader read (and start processes with) this process' environment: it is not
    cut down at each child, only when the forkserver (re)starts."""
    from multiprocessing import forkserver

    from autograder import sandbox

    sandbox.warm_up()
    starts = []
    real = process._scrubbed_environment
    monkeypatch.setattr(process, "_scrubbed_environment", lambda: (starts.append(1), real())[1])
    process._ensure_forkserver()
    assert starts == []
    os.kill(forkserver._forkserver._forkserver_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process._forkserver_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    process._ensure_forkserver()
    assert starts == [1] and process._forkserver_running()

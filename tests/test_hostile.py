"""Hostile and broken submissions: contained, clearly reported, nothing lost.

The corpus (``tests/hostile/cases.py``) goes through one batch run of ``tfgrade grade``, one student
per case plus a good one, and every expectation is asserted on that run's files: the attacked checks
score zero with their message, everything else in full, one row and one test suite per student,
nothing written outside the output folder, no payload run by the grader. The nastiest cases then go
through ``tfgrade grade`` on one submission and through ``tfgrade check``.
"""

from __future__ import annotations

import csv
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

import pytest
from helpers import COURSE, solution_text
from hostile.cases import CASES, EXERCISE_FILE, MARKER_ENV, OTHER_FILE, HostileCase
from test_cli import TFGRADE

from autograder import exercises as registry
from autograder import sandbox
from autograder.course import secret
from autograder.grading.batch import StudentJob, grade_student
from autograder.grading.submissions import Submission
from autograder.sandbox import confine

TIMEOUT = 15  # seconds per case (TFGRADE_TIMEOUT): the endless cases cost this, not two minutes
EX02 = registry.get("ex02")
CANARY = "tfgrade_hostile_canary"


def available() -> set[str]:
    """The confinement this kernel offers, measured the way the grader applies it."""
    offered = set()
    if confine.landlock_abi() >= 6:  # files, network and signal scoping
        offered.add("landlock")
    if sys.platform == "linux" and os.uname().machine in confine.ARCHES:
        offered.add("seccomp")
    if "namespaces" in confine.available():
        offered.add("namespaces")
    return offered


OFFERED = available()
RUNNABLE = [case for case in CASES if set(case.requires) <= OFFERED]
BY_NAME = {case.name: case for case in CASES}


def skip_unless_runnable(case: HostileCase) -> None:
    if not set(case.requires) <= OFFERED:
        pytest.skip(f"{case.name} needs {case.requires}, which this kernel does not offer: it would really "
                    "harm the machine")


def environment(root: Path) -> dict[str, str]:
    """A fresh HOME and working folder, short time limits, where payloads would leave markers, and a
    secret of the instructor's that no child may see (``read_environment``)."""
    for name in ("home", "cwd", "markers"):
        (root / name).mkdir(exist_ok=True)
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "HOME": str(root / "home"), "TFGRADE_TIMEOUT": str(TIMEOUT),
            MARKER_ENV: str(root / "markers"), "INSTRUCTOR_API_TOKEN": "not for students"}


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([TFGRADE, *args], cwd=root / "cwd", env=environment(root), capture_output=True,
                          text=True, timeout=1800)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for case in RUNNABLE:
        case.write(root / "submissions" / case.name)
    good = root / "submissions" / "good"
    good.mkdir()
    for exercise in ("ex01", "ex02"):
        (good / registry.get(exercise).filename).write_text(solution_text(exercise))
    started = time.monotonic()
    done = run(root, "grade", str(root / "submissions"), "--out", str(root / "out"), "--workers", "2",
               "--exercise", "1", "--exercise", "2", "--json")
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    results = {r["submission"]: r for r in json.loads(done.stdout)}
    return root, results, seconds


def exercise_of(result: dict, exercise_id: str) -> dict:
    return next(e for e in result["exercises"] if e["exercise"] == exercise_id)


def assert_contained(case: HostileCase, result: dict) -> None:
    """The case's expectation on one student's result: see ``hostile/cases.py``."""
    other = exercise_of(result, "ex01")
    if case.disrupts:
        assert other["score"] == other["possible"] > 0, f"{case.name} cost the untouched ex01 points"
    else:
        assert other["message"].startswith(f"{OTHER_FILE} was not found in the submission (searched ")
    attacked = exercise_of(result, "ex02")
    assert attacked["possible"] == EX02.possible_points() > 0
    for check in attacked["checks"]:
        function = EX02.function_of(EX02.case(check["case"])).name
        if case.zeroes(function, check["kind"]):
            assert check["points"] == 0 and not check["passed"], f"{case.name}: {check['check_id']} passed"
            assert re.search(case.message, check["message"]), f"{case.name}: {check['message']!r}"
        else:
            assert check["passed"], f"{case.name}: {check['check_id']} failed: {check['message']}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_hostile_submission_is_contained_in_a_batch(batch, case):
    skip_unless_runnable(case)
    _, results, _ = batch
    assert_contained(case, results[case.name])


def test_the_good_student_beside_them_gets_full_marks(batch):
    _, results, _ = batch
    assert results["good"]["score"] == results["good"]["possible"] > 0


def test_every_student_has_exactly_one_grade_in_every_file(batch):
    root, results, _ = batch
    students = sorted(case.name for case in RUNNABLE) + ["good"]
    assert sorted(results) == sorted(students)
    rows = list(csv.DictReader((root / "out" / "grades.csv").open()))
    assert sorted(row["student"] for row in rows) == sorted(students)
    for row in rows:
        assert float(row["total"]) == results[row["student"]]["score"]
    suites = [s.get("name") for s in ET.parse(root / "out" / "junit.xml").getroot().findall("testsuite")]
    assert sorted(suites) == sorted(students)
    for student in students:
        saved = json.loads((root / "out" / student / "result.json").read_text())
        assert saved["score"] == results[student]["score"] and saved["submission"] == student


# --------------------------------------------------------------------- the grader as an ordinary user

NOBODY = 65534
# The attacks whose outcome could depend on who the grader is: on its processes, the machine's files
# and their metadata, the course's secrets, the network.
AS_A_USER = ("kill_grader", "limit_the_grader", "change_metadata", "write_outside", "read_solutions", "sockets",
             "shared_memory_bomb")
LIBC = ctypes.CDLL(None, use_errno=True)
PR_CAPBSET_DROP, PR_SET_SECUREBITS = 24, 28
# root's uid without root's powers, for good: no capability now, none regained by exec or setuid
SECURE_BITS = sum(1 << bit for bit in range(6))  # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS, each with its lock


def _become_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _give_up_root_powers() -> None:
    for capability in range(64):
        LIBC.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    if LIBC.prctl(PR_SET_SECUREBITS, SECURE_BITS, 0, 0, 0) != 0 or not confine._drop_capabilities(LIBC):
        raise OSError(ctypes.get_errno(), "cannot give up root's capabilities")


def _as_a_user(base: Path) -> tuple[Callable[[], None], str]:
    """How to start the grader as an ordinary user: as nobody where nobody may run this checkout's Python
    (a pyenv interpreter under /root may not be), else as root without a single capability."""
    try:
        if subprocess.run([TFGRADE, "--help"], preexec_fn=_become_nobody, capture_output=True,
                          timeout=300).returncode == 0:
            for folder, _, files in os.walk(base):
                for name in (folder, *(os.path.join(folder, file) for file in files)):
                    os.lchown(name, NOBODY, NOBODY)
            return _become_nobody, "nobody"
    except OSError:
        pass
    return _give_up_root_powers, "root without capabilities"


def _offered_to(become: Callable[[], None]) -> list[str]:
    """The protections a grader started with ``become`` finds: probed in a forked child of this process."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            become()
            confine._namespaces.cache_clear()
            os.write(write, json.dumps(confine.available()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        found = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(found)


@pytest.fixture(scope="module")
def batch_as_a_user(batch):
    """Some of the corpus graded by a grader that is not root (the test runs as root), beside the good
    student, on the course's own data key and cached references (the root batch made them: nobody may
    not write the course's ``.tfgrade``)."""
    if os.getuid() != 0:
        pytest.skip("the test runs as an ordinary user already: the batch above is this one")
    base = Path(tempfile.mkdtemp(prefix="tfgrade-hostile-user-", dir="/tmp"))  # not under root's own folders
    try:
        base.chmod(0o755)
        for name in (*AS_A_USER, "good"):
            source = batch[0] / "submissions" / name
            if source.exists():
                shutil.copytree(source, base / "submissions" / name, symlinks=True)
        env = environment(base)
        env[secret.ENV] = secret.from_environment() or secret.read(COURSE.secret_file) or ""
        become, who = _as_a_user(base)
        offered = _offered_to(become)
        done = subprocess.run([TFGRADE, "grade", str(base / "submissions"), "--out", str(base / "out"), "--workers",
                               "2", "--exercise", "1", "--exercise", "2", "--json"], cwd=base / "cwd", env=env,
                              preexec_fn=become, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stderr[-3000:]
        yield base, {r["submission"]: r for r in json.loads(done.stdout)}, done.stderr, who, offered
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_grader_that_is_not_root_contains_the_attacks_too(batch_as_a_user):
    base, results, stderr, who, offered = batch_as_a_user
    missing = [name for name in confine.PROTECTIONS if name not in offered]
    if missing:  # said, and only what is missing: root without CAP_SETFCAP, say, may not map its uid (5.12+)
        assert f"cannot confine students' code with {', '.join(missing)}:" in stderr, (who, stderr[-2000:])
    else:
        assert "cannot confine" not in stderr, (who, stderr[-2000:])
    assert results["good"]["score"] == results["good"]["possible"] > 0, who
    graded = [name for name in AS_A_USER if name in results]
    assert graded, "no attack was graded"
    for name in graded:
        assert_contained(BY_NAME[name], results[name])
    assert list((base / "markers").iterdir()) == [] and list((base / "cwd").iterdir()) == []
    assert not (COURSE.root / CANARY).exists() and not Path("/tmp", CANARY).exists()


def test_nothing_is_written_outside_the_output_folder(batch):
    root, results, _ = batch
    if "write_outside" in results:  # the attacks really ran, and every one of the seven writes failed
        message = exercise_of(results["write_outside"], "ex02")["message"]
        assert len(message.rsplit("PermissionError: ", 1)[1].split("; ")) == 7, message
    places = [COURSE.root / CANARY, COURSE.root / "autograder" / f"{CANARY}.py", root / "home" / CANARY,
              Path("/tmp") / CANARY, root / "out" / CANARY, COURSE.root / "autograder" / "_hostile_canary.py"]
    assert [p for p in places if p.exists()] == []
    assert list((root / "cwd").iterdir()) == []
    assert "fake: 26" not in (root / "out" / "grades.csv").read_text()


def test_no_payload_ran_in_the_grader(batch):
    root, results, _ = batch
    assert {"lambda_layer", "crafted_keras_file"} <= set(results)
    assert list((root / "markers").iterdir()) == []


def _solution_lines(case: HostileCase) -> list[str]:
    """The reference's answer lines (between its solution markers, and the markers) that the case's own
    file does not hold: text the student could only have got from the solution."""
    solution = solution_text("ex02")
    answers = re.findall(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", solution, re.DOTALL)
    lines = ["### BEGIN SOLUTION", "### END SOLUTION"] + [line.strip() for part in answers for line in part.splitlines()]
    own = (Path(__file__).parent / "hostile" / case.name / EXERCISE_FILE).read_text()
    return [line for line in lines if len(line) > 10 and line not in own]


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@pytest.mark.parametrize("name", ["output_fifo", "output_dev_zero", "output_to_solution", "replace_handed_back",
                                  "read_solutions"])
def test_no_solution_text_reaches_a_student_who_reached_for_it(batch, name):
    """Links to the solution in a run folder are named, never read: no line of it is in any file the
    grader writes for the student, nor in what it prints."""
    import html

    skip_unless_runnable(BY_NAME[name])
    root, results, _ = batch
    folder = root / "out" / name
    texts = _texts(results[name]) + _texts(json.loads((folder / "result.json").read_text()))
    texts += _texts(json.loads((folder / "results.json").read_text()))
    texts += [html.unescape(path.read_text()) for path in folder.glob("*.html")]
    suite = next(s for s in ET.parse(root / "out" / "junit.xml").getroot() if s.get("name") == name)
    texts += ["".join(suite.itertext()), *(v for element in suite.iter() for v in element.attrib.values())]
    lines = _solution_lines(BY_NAME[name])
    assert lines and "return inputs * units + units" in lines
    leaked = {line for line in lines for text in texts if line in text}
    assert not leaked, f"{name} was shown the solution's lines {sorted(leaked)}"


UNCONFINED = ("output_fifo", "output_dev_zero", "output_to_solution", "replace_handed_back")


@pytest.mark.parametrize("name", UNCONFINED)
def test_the_grader_alone_holds_against_an_unconfined_child(tmp_path, monkeypatch, reference, name):
    """Where the kernel offers no seccomp, a child can leave links and named pipes in its run folder, and
    the grader is never confined: it reads none of them, names them, does not hang, and shows nothing
    of what they point to. The corpus case runs here with its child unconfined."""
    from test_artifacts import within

    from autograder.grading.grade import grade_exercise
    from autograder.spec import ALL

    case = BY_NAME[name]
    case.write(tmp_path / name)
    monkeypatch.setattr(confine, "for_submission", lambda folder: None)
    monkeypatch.setenv("TFGRADE_TIMEOUT", str(TIMEOUT))
    result = within(300, lambda: grade_exercise(EX02, tmp_path / name / EXERCISE_FILE, ALL, reference)).to_dict()
    assert result["possible"] == EX02.possible_points() > 0 and result["score"] == 0
    for check in result["checks"]:
        assert re.search(case.message, check["message"]), f"{name}: {check['message']!r}"
        assert "Operation not permitted" not in check["message"], f"{name}: the child was confined"
    leaked = {line for line in _solution_lines(case) for text in _texts(result) if line in text}
    assert not leaked, f"{name} was shown the solution's lines {sorted(leaked)}"


def test_endless_cases_stop_at_the_configured_time_limit(batch):
    _, results, seconds = batch
    for name in ("busy_loop", "sleep_forever"):
        messages = [check["message"] for check in exercise_of(results[name], "ex02")["checks"]]
        assert any(f"did not finish within {TIMEOUT} s" in message for message in messages), messages
    assert seconds < 600, f"the corpus took {seconds:.0f} s"


def test_an_output_flood_does_not_reach_the_results(batch):
    root, _, _ = batch
    assert (root / "out" / "output_flood" / "result.json").stat().st_size < 200_000


def test_the_grader_never_reads_the_students_weights(batch):
    """Training on the grader's test split changes nothing: the grader trains a fresh copy itself."""
    _, results, _ = batch
    trained = exercise_of(results["train_on_eval_data"], "ex02")
    good = exercise_of(results["good"], "ex02")
    assert trained["details"]["default"]["student"]["curves"] == good["details"]["default"]["student"]["curves"]


# ----------------------------------------------------------------- the nastiest, one command each


@pytest.mark.parametrize("name", ["kill_parent", "fork_bomb"])
def test_grading_one_hostile_submission(tmp_path, name):
    case = BY_NAME[name]
    skip_unless_runnable(case)
    case.write(tmp_path / name)
    done = run(tmp_path, "grade", str(tmp_path / name), "--out", str(tmp_path / "out"), "--json",
               "--exercise", "1", "--exercise", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert_contained(case, json.loads(done.stdout))
    assert json.loads((tmp_path / "out" / name / "result.json").read_text())["submission"] == name


@pytest.mark.parametrize("name", ["kill_grader", "fake_result"])
def test_checking_a_hostile_assignment(tmp_path, name):
    case = BY_NAME[name]
    skip_unless_runnable(case)
    assignments = tmp_path / "assignments"
    shutil.copytree(COURSE.assignments, assignments)
    shutil.copy(Path(__file__).parent / "hostile" / name / EXERCISE_FILE, assignments / EXERCISE_FILE)
    (assignments / OTHER_FILE).write_text(solution_text("ex01"))
    done = run(tmp_path, "check", "1", "2", "--path", str(assignments), "--json")
    assert done.returncode == 1, done.stderr[-3000:]
    result = json.loads(done.stdout)  # the student's prints never mix into the report
    assert result["visibility"] == "public"
    ex01, ex02 = exercise_of(result, "ex01"), exercise_of(result, "ex02")
    assert ex01["score"] == ex01["possible"] > 0 and ex02["score"] == 0
    assert all(re.search(case.message, c["message"]) for c in ex02["checks"]), ex02["message"]
    assert not (COURSE.root / "autograder" / "_hostile_canary.py").exists()


# ------------------------------------------------------------------------- the kit's own defences


@pytest.mark.skipif("landlock" not in OFFERED or "seccomp" not in OFFERED, reason="no Landlock or seccomp")
def test_a_confined_child_writes_only_in_its_folder_and_starts_no_process(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "answer.txt").write_text("42")
    outside, existing = tmp_path / "outside.txt", tmp_path / "existing.txt"
    existing.write_text("mine")
    existing.chmod(0o600)
    outcome = sandbox.run_isolated("sandbox_targets:try_escape", {"secret": str(secret / "answer.txt"),
                                                                  "outside": str(outside), "existing": str(existing),
                                                                  "grader": os.getpid()},
                                   workdir=tmp_path / "run", limits=sandbox.Limits(wall_seconds=60),
                                   confinement=confine.Confinement(hidden=(str(secret),)))
    assert outcome.ok, outcome.stderr
    attempts = json.loads((tmp_path / "run" / "attempts.json").read_text())
    refused = "PermissionError"
    absent = "FileNotFoundError" if "mount namespace" in confine.available() else refused  # not in its root
    assert attempts == {"write_own_folder": "ok", "write_outside": refused, "read_secret": absent,
                        "read_kit": "ok", "fork": refused, "signal_grader": refused, "thread": "ok",
                        "udp_socket": refused, "unix_socket": refused, "limit_grader": refused, "limit_self": "ok",
                        "renice_grader": refused, "renice_user": refused, "renice_self": "ok",
                        "named_pipe": refused, "symlink": refused, "chmod_outside": refused,
                        "touch_outside": refused, "shared_memory": refused}
    assert not outside.exists() and existing.stat().st_mode & 0o777 == 0o600 and existing.stat().st_mtime > 0


@pytest.mark.skipif("namespaces" not in OFFERED or "landlock" not in OFFERED,
                    reason="no user namespaces or Landlock")
def test_a_confined_child_sees_only_its_view_and_holds_no_power(tmp_path):
    classmate = tmp_path / "batch" / "bob" / "ex02_dense.py"
    classmate.parent.mkdir(parents=True)
    classmate.write_text("def build_classifier(): ...")
    outcome = sandbox.run_isolated("sandbox_targets:look_around", {"classmate": str(classmate)},
                                   workdir=tmp_path / "run", limits=sandbox.Limits(wall_seconds=60),
                                   confinement=confine.for_submission(tmp_path / "batch" / "ada"))
    assert outcome.ok, outcome.stderr
    seen = json.loads((tmp_path / "run" / "seen.json").read_text())
    refused = "PermissionError"
    absent = "FileNotFoundError" if "mount namespace" in confine.available() else refused  # not in its root
    # its parent is out of view in a PID namespace: getppid() is 0, which no /proc lists
    out_of_view = "FileNotFoundError" if "private /proc" in confine.available() else refused
    assert seen == {"uid": confine.INNER_ID, "capabilities": "0000000000000000", "interfaces": ["lo"],
                    "classmate": absent, "grader_cmdline": out_of_view, "processes": refused, "etc_shadow": absent,
                    "home": refused, "real_time": refused, "numpy": 3.0}


def test_a_submission_that_cannot_be_read_is_that_students_error_only(tmp_path):
    class Unreadable(Submission):
        def folder(self):
            raise OSError(36, "File name too long")

    result = grade_student(StudentJob(Unreadable("zed", tmp_path), "fingerprint"), [EX02], reference=None)
    assert result.submission == "zed" and result.score == 0
    assert "could not be read: OSError" in result.exercises[0].message


def test_parallel_children_never_lose_their_exit_status(tmp_path):
    """Two threads starting and joining children at once, as a batch's workers do: every child that
    ended well is reported so (multiprocessing's own bookkeeping once made some read exit code 255)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(index: int) -> int | None:
        outcome = sandbox.run_isolated("sandbox_targets:write_ok", {}, workdir=tmp_path / str(index),
                                       limits=sandbox.Limits(wall_seconds=60))
        return outcome.exit_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(one, range(60)))
    assert codes == [0] * 60

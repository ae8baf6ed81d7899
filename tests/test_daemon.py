"""The warm grader behind `tfgrade check`: started by the first check, reused by the next, the same
results as grading without it, and gone when idle, stopped, killed or unusable."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
from helpers import COURSE, mutate, solution_text
from terminal_screen import run as run_at_terminal
from terminal_screen import screen, status_lines
from test_cli import EXERCISE, TFGRADE, tfgrade

from autograder import daemon


def private_env() -> dict:
    """The environment of a daemon of its own: a TFGRADE_* setting of its own gives it its own address."""
    return {**os.environ, "TFGRADE_TEST_RUN": uuid.uuid4().hex, "TFGRADE_DAEMON_IDLE": "120"}


@pytest.fixture
def env():
    """A daemon for this test alone (each start imports TensorFlow: keep these few)."""
    env = private_env()
    yield env
    _stop(env)


@pytest.fixture(scope="module")
def shared_env():
    """A daemon that the tests which do not stop or kill it share."""
    env = private_env()
    yield env
    _stop(env)


def address(env: dict) -> daemon.Address:
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return daemon.Address.for_course(COURSE)
    finally:
        os.environ.clear()
        os.environ.update(old)


def daemon_state(env: dict) -> dict | None:
    socket = str(address(env).socket)
    return next((state for state in daemon.running() if state["socket"] == socket), None)


def _stop(env: dict) -> None:
    state = daemon_state(env)
    if state:
        os.kill(state["pid"], signal.SIGTERM)


def folder_with(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / f"assignments-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    (folder / EXERCISE.filename).write_text(source)
    return folder


def check(folder: Path, env: dict, *extra: str) -> dict:
    done = tfgrade("check", "2", "--json", "--path", str(folder), *extra, env=env)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def comparable(result: dict) -> list:
    return [(c["check_id"], c["points"], c["passed"], c["message"]) for e in result["exercises"] for c in e["checks"]]


def test_the_first_check_starts_a_warm_grader_and_the_next_reuses_it(tmp_path, shared_env):
    env = shared_env
    assert daemon_state(env) is None
    first = check(folder_with(tmp_path, solution_text("ex02")), env)
    state = daemon_state(env)
    assert state is not None and state["served"] == 1 and state["course"] == str(COURSE.root)
    second = check(folder_with(tmp_path, solution_text("ex02")), env)
    again = daemon_state(env)
    assert (again["pid"], again["served"]) == (state["pid"], 2)
    assert first["score"] == second["score"] == first["possible"] > 0


def test_the_warm_grader_decides_exactly_what_grading_without_it_decides(tmp_path, shared_env):
    env = shared_env
    wrong = folder_with(tmp_path, mutate("ex02", ("return inputs * units + units", "return inputs * units")))
    served = (daemon_state(env) or {}).get("served", 0)
    warm = check(wrong, env)
    cold = check(wrong, env, "--no-daemon")
    assert daemon_state(env)["served"] == served + 1  # the second check did not go through it
    assert comparable(warm) == comparable(cold)
    assert 0 < warm["score"] < warm["possible"]


def test_an_edited_file_is_graded_afresh(tmp_path, shared_env):
    env = shared_env
    folder = folder_with(tmp_path, solution_text("ex02"))
    assert check(folder, env)["score"] > 0
    (folder / EXERCISE.filename).write_text(solution_text("ex02").replace("return inputs * units + units",
                                                                          "raise NotImplementedError()"))
    result = check(folder, env)
    assert result["score"] < result["possible"]
    assert any("not implemented" in c["message"] for e in result["exercises"] for c in e["checks"])


def test_hidden_cases_are_graded_for_notebooks_with_their_details_withheld(tmp_path, shared_env):
    wrong = folder_with(tmp_path, mutate("ex02", ("return inputs * units + units", "return inputs * units")))
    public = daemon.check(address(shared_env), wrong, ["ex02"]).exercises[0]
    every = daemon.check(address(shared_env), wrong, ["ex02"], hidden=True).exercises[0]
    assert {c.visibility for c in public.checks} == {"public"}
    hidden = [c for c in every.checks if c.visibility == "hidden"]
    assert hidden and any(not c.passed for c in hidden)
    assert all(c.message in ("hidden case", "failed (hidden case: details are withheld)") for c in hidden)
    assert {name for name, case in every.details.items() if case["visibility"] == "hidden"} == set()
    assert [c.to_dict() for c in every.checks if c.visibility == "public"] == [c.to_dict() for c in public.checks]


def test_a_check_at_a_terminal_leaves_no_status_line_behind(tmp_path, shared_env):
    # A folder whose path makes the status line wider than the terminal: a wrapped line was left behind.
    folder = tmp_path / ("a-folder-name-long-enough-to-make-the-status-line-wider-than-a-terminal" * 2)
    folder.mkdir()
    (folder / EXERCISE.filename).write_text(solution_text("ex02"))
    code, output = run_at_terminal([TFGRADE, "check", "2", "--path", str(folder)], env=shared_env)
    lines = screen(output)
    assert code == 0, lines
    assert any(frame in output for frame in "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")  # a status line was shown...
    assert status_lines(lines) == [], lines  # ...and none of it is left: no frame, none glued to a result
    assert not any("checking 1 exercise" in line or "running" in line for line in lines), lines
    assert lines[lines.index(next(line for line in lines if line.startswith("ex02 "))) + 1].startswith(" ✓ ")
    assert any(line.startswith("Total 14 / 14") for line in lines), lines


def _children_of(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:  # pid (comm) state ppid ...: the name may hold spaces and parentheses
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.add(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _grading_children(daemon_pid: int) -> set[int]:
    """The children a warm grader's forkserver has started: the ones that run and measure cases."""
    return {child for server in _children_of(daemon_pid) for child in _children_of(server)}


def _signal_state(pid: int | str = "self") -> list[str]:
    """How each thread of ``pid`` stands to signals (the masks /proc shows): for a failure's message."""
    found = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:
            continue
        found.append(f"{task.name}: " + " ".join(line.replace(":\t", "=") for line in lines
                                                 if line.startswith(("State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn",
                                                                     "SigCgt"))))
    return found


def test_ctrl_c_in_a_check_stops_its_endless_loop_in_the_warm_grader_at_once(tmp_path, shared_env):
    looping = mutate("ex02", ("    return keras.Sequential([",
                              "    while True:\n        pass\n    return keras.Sequential(["))
    folder = folder_with(tmp_path, looping)
    running = re.compile(r"ex02: running build_classifier\(\) (\d+) s / limit (\d+) s")
    looped: set[int] = set()
    after_the_signal: list[str] = []  # the client's threads 5 s after Ctrl-C, should it not have ended

    def interrupt_when_looping(output: str, client) -> None:
        shown = running.findall(output)
        if not looped and shown and int(shown[-1][0]) >= 3:  # the status counts the seconds up to the limit
            assert int(shown[-1][1]) == EXERCISE.timeout_seconds
            looped.update(_grading_children(daemon_pid))
            client.send_signal(signal.SIGINT)  # Ctrl-C
            threading.Timer(5, lambda: after_the_signal.extend(_signal_state(client.pid))).start()

    check(folder_with(tmp_path, solution_text("ex02")), shared_env)  # the warm grader is up
    daemon_pid = daemon_state(shared_env)["pid"]  # asked now: a warm grader answers no one while it checks
    code, output = run_at_terminal([TFGRADE, "check", "2", "--path", str(folder)], env=shared_env, timeout=300,
                                   on_output=interrupt_when_looping)
    lines = screen(output)
    assert looped and code == 130 and "interrupted" in lines, (lines, after_the_signal)
    assert status_lines(lines) == [], lines
    _wait_until(lambda: not any(_alive(pid) for pid in looped), seconds=5)  # its limit is 120 s
    _wait_until(lambda: not _grading_children(daemon_pid), seconds=10)  # nor does the grader start others
    assert daemon_state(shared_env)["pid"] == daemon_pid  # still warm: the next check is served
    result = check(folder_with(tmp_path, solution_text("ex02")), shared_env)
    assert result["score"] == result["possible"]


def test_a_killed_warm_grader_is_replaced_by_the_next_check_and_daemon_stop_ends_it(tmp_path, env):
    # One test for both: every warm grader started here imports TensorFlow, 15-25 s on a small machine.
    folder = folder_with(tmp_path, solution_text("ex02"))
    check(folder, env)
    killed = daemon_state(env)["pid"]
    os.kill(killed, signal.SIGKILL)
    _wait_until(lambda: not _alive(killed))
    assert address(env).socket.exists()  # the stale socket stays behind a killed daemon
    result = check(folder, env)
    assert result["score"] == result["possible"]
    pid = daemon_state(env)["pid"]
    assert pid != killed

    done = tfgrade("daemon", "status", env=env)
    assert done.returncode == 0 and f"pid {pid}" in done.stdout
    done = tfgrade("daemon", "stop", env=env)
    assert done.returncode == 0 and str(pid) in done.stdout
    _wait_until(lambda: not _alive(pid))


def test_an_idle_warm_grader_exits_and_removes_its_socket(tmp_path, env):
    idle = {**env, "TFGRADE_DAEMON_IDLE": "2"}
    check(folder_with(tmp_path, solution_text("ex02")), idle)
    _wait_until(lambda: daemon_state(idle) is None)
    assert not address(idle).socket.exists()


def test_a_folder_others_could_enter_is_refused_and_the_check_still_runs(tmp_path):
    env = private_env()
    shared = tmp_path / "runtime"
    (shared / f"tfgrade-{os.getuid()}").mkdir(parents=True, mode=0o777)
    (shared / f"tfgrade-{os.getuid()}").chmod(0o777)
    done = tfgrade("check", "2", "--json", "--path", str(folder_with(tmp_path, solution_text("ex02"))),
                   env={**env, "XDG_RUNTIME_DIR": str(shared)})
    result = json.loads(done.stdout)
    assert done.returncode == 0 and result["score"] == result["possible"]
    assert "not a private folder" in done.stderr and "without the warm grader" in done.stderr
    assert not list((shared / f"tfgrade-{os.getuid()}").iterdir())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed daemon is a zombie until its parent (init) reaps it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _wait_until(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.2)

"""Confinement: what a confined child is refused and still allowed, each protection on its own and all of
them together (also for a grader that is not root), what the machine offers, and that a grade says so.

Each child here is forked from the test process and confines itself (or takes one step of it) the way a
run child does; it reports what it saw through a pipe, as JSON."""

from __future__ import annotations

import ctypes
import errno
import faulthandler
import json
import mmap
import os
import resource
import select
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from helpers import stub_text

from autograder.commands import grade as grade_command
from autograder.results import environment
from autograder.sandbox import confine

OFFERED = set(confine.available())
needs = {name: pytest.mark.skipif(name not in OFFERED, reason=f"this machine offers no {name}")
         for name in confine.PROTECTIONS}


def in_child(body, timeout: float = 60.0):
    """``body()`` in a forked child in a session of its own; what it returned (JSON), or the exception it
    raised, named."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            os.setsid()
            try:
                found = {"returned": body()}
            except BaseException as exc:  # noqa: BLE001 - handed to the parent
                found = {"raised": f"{type(exc).__name__}: {exc}"}
            os.write(write, json.dumps(found).encode())
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    try:
        while select.select([read], [], [], timeout)[0] and (chunk := os.read(read, 65536)):
            data += chunk
    finally:
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    assert data, "the child reported nothing"
    found = json.loads(data)
    assert "raised" not in found, found["raised"]
    return found["returned"]


def outcome(action) -> str:
    """'ok', or the name of the errno the action failed with."""
    try:
        action()
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))


LIBC = ctypes.CDLL(None, use_errno=True)


def raw_syscall(number: int, *args: int) -> None:
    if LIBC.syscall(number, *args) == -1:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def syscall_number(name: str) -> int:
    return confine._known_syscalls()[name]


# Processes outside every child here, by the numbers the test process knows them by: itself (the parent of
# each child) and its own parent. (Inside a PID namespace, a child's parent is out of view: getppid() is 0.)
PARENT, OTHER = os.getpid(), os.getppid()
PARENT_PRIORITY = os.getpriority(os.PRIO_PROCESS, 0)


def process_attempts(existing: str) -> dict[str, str]:
    """What seccomp decides: processes, signals, limits, scheduling, sockets, special files, metadata."""
    pid, parent = os.getpid(), PARENT
    thread_ran = []
    thread = threading.Thread(target=lambda: thread_ran.append(os.getpid()))
    attempts = {
        "thread": outcome(thread.start),
        "fork": outcome(lambda: os.waitpid(os.fork() or os._exit(0), 0)),
        "clone3": outcome(lambda: raw_syscall(syscall_number("clone3"), 0, 0)),
        "kill_self": outcome(lambda: os.kill(pid, 0)),
        "kill_zero": outcome(lambda: os.kill(0, 0)),
        "kill_own_group": outcome(lambda: os.killpg(os.getpgrp(), 0)),
        "kill_parent": outcome(lambda: os.kill(parent, 0)),
        "kill_other": outcome(lambda: os.kill(OTHER, 0)),
        "kill_everyone": outcome(lambda: os.kill(-1, 0)),
        "kill_own_thread": outcome(lambda: signal.pthread_kill(threading.get_ident(), 0)),
        "limit_self": outcome(lambda: resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))),
        "limit_self_zero": outcome(lambda: resource.prlimit(0, resource.RLIMIT_CORE)),
        "limit_other": outcome(lambda: resource.prlimit(OTHER, resource.RLIMIT_CORE)),
        "limit_parent": outcome(lambda: resource.prlimit(parent, resource.RLIMIT_CORE)),
        "renice_self": outcome(lambda: os.setpriority(os.PRIO_PROCESS, 0, 1)),
        # the parent's own priority and the other's own cores: harmless should the filter ever let them through
        "renice_parent": outcome(lambda: os.setpriority(os.PRIO_PROCESS, parent, PARENT_PRIORITY)),
        "renice_user": outcome(lambda: os.setpriority(os.PRIO_USER, 0, 19)),
        "affinity_self": outcome(lambda: os.sched_setaffinity(0, os.sched_getaffinity(0))),
        "affinity_other": outcome(lambda: os.sched_setaffinity(OTHER, os.sched_getaffinity(0))),
        "tcp_socket": outcome(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()),
        "udp_socket": outcome(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()),
        "unix_socket": outcome(lambda: socket.socket(socket.AF_UNIX).close()),
        "socketpair": outcome(lambda: socket.socketpair()),
        "named_pipe": outcome(lambda: os.mkfifo(existing + ".pipe")),
        "symlink": outcome(lambda: os.symlink("/", existing + ".link")),
        "hard_link": outcome(lambda: os.link(existing, existing + ".hard")),
        "chmod": outcome(lambda: os.chmod(existing, 0o777)),
        "touch": outcome(lambda: os.utime(existing, (0, 0))),
        "memfd": outcome(lambda: os.memfd_create("bomb")),
        "shared_anonymous": outcome(lambda: mmap.mmap(-1, 1 << 20).close()),
        "private_anonymous": outcome(lambda: mmap.mmap(-1, 1 << 20, flags=mmap.MAP_PRIVATE).close()),
        "shared_file": outcome(lambda: _map_shared(existing)),
        "unshare": outcome(lambda: raw_syscall(syscall_number("unshare"), 0)),
        "inotify": outcome(lambda: os.close(_checked(LIBC.inotify_init1(0)))),
        "mount": outcome(lambda: raw_syscall(syscall_number("mount"), 0, 0, 0, 0, 0)),
        # x32's getpid on x86-64: another ABI, refused rather than killing the process
        "x32_call": outcome(lambda: raw_syscall(0x40000000 | 39)) if os.uname().machine == "x86_64" else "EPERM",
    }
    thread.join()
    attempts["thread_ran"] = "ok" if thread_ran == [pid] else "no"
    return attempts


def _checked(result: int) -> int:
    if result == -1:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return result


def _map_shared(path: str) -> None:
    with open(path, "r+b") as file:
        mmap.mmap(file.fileno(), 0).close()


REFUSED_BY_SECCOMP = {
    "thread": "ok", "thread_ran": "ok", "fork": "EPERM", "clone3": "ENOSYS",
    "kill_self": "ok", "kill_zero": "ok", "kill_own_group": "ok", "kill_parent": "EPERM", "kill_other": "EPERM",
    "kill_everyone": "EPERM", "kill_own_thread": "ok",
    "limit_self": "ok", "limit_self_zero": "ok", "limit_other": "EPERM", "limit_parent": "EPERM",
    "renice_self": "ok", "renice_parent": "EPERM", "renice_user": "EPERM",
    "affinity_self": "ok", "affinity_other": "EPERM",
    "tcp_socket": "EPERM", "udp_socket": "EPERM", "unix_socket": "EPERM", "socketpair": "EPERM",
    "named_pipe": "EPERM", "symlink": "EPERM", "hard_link": "EPERM", "chmod": "EPERM", "touch": "EPERM",
    "memfd": "EPERM", "shared_anonymous": "EPERM", "private_anonymous": "ok", "shared_file": "ok",
    "unshare": "EPERM", "mount": "EPERM", "x32_call": "EPERM", "inotify": "EPERM",
}


def seccomp_only() -> None:
    assert LIBC.prctl(confine.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
    assert confine._seccomp(os.getpid()), "the filter did not load"


@pytest.fixture
def existing(tmp_path) -> str:
    path = tmp_path / "existing.txt"
    path.write_text("mine")
    path.chmod(0o600)
    return str(path)


# ------------------------------------------------------------------------------------------- seccomp


@needs["seccomp"]
def test_seccomp_refuses_processes_sockets_special_files_and_others_processes(existing):
    assert in_child(lambda: (seccomp_only(), process_attempts(existing))[1]) == REFUSED_BY_SECCOMP
    assert Path(existing).stat().st_mode & 0o777 == 0o600 and Path(existing).stat().st_mtime > 0
    assert not any(Path(existing + suffix).exists() for suffix in (".pipe", ".link", ".hard"))


@needs["seccomp"]
def test_syscalls_newer_than_libseccomp_get_enosys_as_from_an_older_kernel():
    newest = max(confine._known_syscalls().values())
    if newest + 1 >= confine.SYSCALL_BOUND:
        pytest.skip("libseccomp knows every syscall number below the bound")
    assert in_child(lambda: (seccomp_only(), outcome(lambda: raw_syscall(newest + 1, 0, 0, 0, 0)))[1]) == "ENOSYS"


@needs["seccomp"]
def test_names_libseccomp_does_not_know_are_left_out(monkeypatch, existing):
    monkeypatch.setattr(confine, "DENIED", (*confine.DENIED, "no_such_call"))
    monkeypatch.setattr(confine, "OWN_PID_FIRST", (*confine.OWN_PID_FIRST, "no_such_limit"))
    monkeypatch.setattr(confine, "OWN_PID_SECOND", {**confine.OWN_PID_SECOND, "no_such_priority": 0})
    confine._filter(1234)  # builds
    assert in_child(lambda: (seccomp_only(), process_attempts(existing))[1]) == REFUSED_BY_SECCOMP


def test_without_libseccomp_there_is_no_seccomp_and_nothing_breaks(monkeypatch, tmp_path):
    confine._libseccomp.cache_clear()
    try:
        monkeypatch.setitem(sys.modules, "pyseccomp", None)  # as if not installed
        assert confine._libseccomp() is None
        assert "seccomp" not in confine.available() and "seccomp" in confine.missing()
        (tmp_path / "run").mkdir()
        applied = in_child(lambda: confine.apply(tmp_path / "run", confine.Confinement()))
        assert "seccomp" not in applied
    finally:
        confine._libseccomp.cache_clear()


# ------------------------------------------------------------------------------------- PID namespace


@needs["task limit"]
def test_a_child_starts_at_most_its_namespaces_number_of_threads():
    """Small stacks slip under RLIMIT_DATA: the PID namespace's pid_max bounds its threads instead."""
    def start_threads() -> dict:
        entered = confine._enter_namespaces(LIBC)
        mounted = confine._mounts(LIBC, None, [], [], own_pids="pid namespace" in entered)
        limited = "task limit" in mounted
        assert confine._drop_capabilities(LIBC) and "private /proc" in mounted
        threading.stack_size(32768)
        stop, started = threading.Event(), 0
        try:
            while started < 4 * confine.TASKS:
                threading.Thread(target=stop.wait, daemon=True).start()
                started += 1
        except RuntimeError:
            pass
        stop.set()
        return {"limited": limited, "started": started}

    seen = in_child(start_threads)
    assert seen["limited"] and confine.TASKS // 2 < seen["started"] < confine.TASKS
    assert int(Path("/proc/sys/kernel/pid_max").read_text()) > confine.TASKS  # the machine's own is untouched


@needs["pid namespace"]
def test_in_a_pid_namespace_of_its_own_a_child_is_the_only_process():
    """It is pid 1, its parent is out of view, and the /proc it gets (where the kernel allows a new one)
    lists no process but itself."""
    def look() -> dict:
        entered = confine._enter_namespaces(LIBC)
        mounted = confine._mounts(LIBC, None, [], [], own_pids=True)
        return {"entered": entered, "pid": os.getpid(), "parent": os.getppid(),
                "processes": sorted(name for name in os.listdir("/proc") if name.isdigit()),
                "private": "private /proc" in mounted}

    seen = in_child(look)
    assert seen["entered"] == ["namespaces", "pid namespace"] and (seen["pid"], seen["parent"]) == (1, 0)
    assert seen["private"] == ("private /proc" in OFFERED)
    if seen["private"]:
        assert seen["processes"] == ["1"]


def keeper_and_child(body, cpu_seconds: int | None = None) -> tuple[int, int]:
    """Fork a child that (with ``cpu_seconds`` as its CPU limits, soft and hard, as a run child has them)
    enters its namespaces and runs ``body`` in its PID namespace; returns the pid of the keeper (the forked
    process) and the machine's pid of the child inside."""
    read, write = os.pipe()
    keeper = os.fork()
    if keeper == 0:
        try:
            os.close(read)
            os.setsid()
            if cpu_seconds:
                resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
            assert "pid namespace" in confine._enter_namespaces(LIBC)
            os.write(write, os.readlink("/proc/self").encode())  # the machine's /proc: its number there
            os.close(write)
            body()
        finally:
            os._exit(0)
    os.close(write)
    try:
        inside = int(os.read(read, 64))  # one small write: read whole (EOF waits for the child's own copy)
    finally:
        os.close(read)
    return keeper, inside


def gone(pid: int, seconds: float = 10.0) -> bool:
    """Whether ``pid`` ended (a zombie no one reaped counts) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return True
        except OSError:
            return True
        time.sleep(0.02)
    return False


@needs["pid namespace"]
@pytest.mark.parametrize("ending, expected", [
    (lambda: os._exit(7), 7),
    (lambda: (faulthandler.disable(), ctypes.string_at(0)), -signal.SIGSEGV),
    (lambda: os.kill(os.getpid(), signal.SIGKILL) or os._exit(9), 9),  # init of its namespace: not killed so
])
def test_the_keeper_ends_as_the_child_in_the_pid_namespace_ended(ending, expected):
    keeper, _ = keeper_and_child(ending)
    assert os.waitstatus_to_exitcode(os.waitpid(keeper, 0)[1]) == expected


@needs["pid namespace"]
def test_a_child_at_its_cpu_limit_is_reported_as_over_its_cpu_time_as_outside():
    """Init of its namespace, the child ignores SIGXCPU: it is killed at its soft CPU limit instead, and
    its keeper names that SIGXCPU, as the kernel would have."""
    def spin() -> None:
        while True:
            pass

    keeper, _ = keeper_and_child(spin, cpu_seconds=1)
    _, status, usage = os.wait4(keeper, 0)  # the keeper's usage counts the child it waited for
    assert os.waitstatus_to_exitcode(status) == -signal.SIGXCPU
    assert usage.ru_utime + usage.ru_stime < 3  # at the soft limit (1 s), not the hard one (6 s)


@needs["pid namespace"]
def test_a_child_whose_keeper_is_killed_dies_with_it():
    keeper, inside = keeper_and_child(lambda: time.sleep(600))
    os.kill(keeper, signal.SIGKILL)
    os.waitpid(keeper, 0)
    assert gone(inside)


# -------------------------------------------------------------------------------------------- mounts


def mount_namespace_only(run: Path, readable: list[Path]) -> None:
    assert confine._enter_namespaces(LIBC)
    assert confine._mounts(LIBC, run, [str(p) for p in readable], list(readable))
    assert confine._drop_capabilities(LIBC)


@needs["mount namespace"]
def test_a_child_sees_only_what_it_was_handed_and_writes_tmp_of_its_own(tmp_path):
    """Its new root holds what it may read (here only its submission), read-only, and its run folder: no
    other path exists. What it writes in /tmp or /dev/shm no other process sees, and is capped in size."""
    run, submission, classmate = tmp_path / "run", tmp_path / "batch" / "ada", tmp_path / "batch" / "bob"
    for folder in (run, submission, classmate):
        folder.mkdir(parents=True)
    (submission / "ex01.py").write_text("mine")
    (classmate / "ex01.py").write_text("theirs")
    name = f"tfgrade-confine-test-{os.getpid()}"

    def look() -> dict[str, str]:
        mount_namespace_only(run, [submission])
        return {
            "write_tmp": outcome(lambda: Path("/tmp", name).write_text("left for later")),
            "read_back": Path("/tmp", name).read_text(),
            "write_shm": outcome(lambda: Path("/dev/shm", name).write_text("shared?")),
            "fill_shm": outcome(lambda: Path("/dev/shm", name).write_bytes(bytes(2 * 1024 * 1024))),
            "root": sorted(os.listdir("/")),
            "dev": sorted(os.listdir("/dev")),
            "etc_passwd": outcome(lambda: Path("/etc/passwd").read_text()),
            "kit": outcome(lambda: Path(confine.__file__).read_text()),
            "tmp_path_siblings": os.listdir(tmp_path.parent),
            "listed": sorted(os.listdir(tmp_path)) + sorted(os.listdir(tmp_path / "batch")),
            "classmate": outcome(lambda: (classmate / "ex01.py").read_text()),
            "submission": (submission / "ex01.py").read_text(),
            "write_submission": outcome(lambda: (submission / "ex01.py").write_text("changed")),
            "write_run": outcome(lambda: (run / "out.txt").write_text("handed back")),
            "null": outcome(lambda: Path(os.devnull).write_text("gone")),
            "mount_more": outcome(lambda: raw_syscall(syscall_number("umount2"), ctypes.c_char_p(b"/tmp"), 0)),
            "cwd": os.getcwd(),
        }

    os.chdir(run)  # as a run child is
    try:
        seen = in_child(look)
    finally:
        os.chdir(tmp_path)
    try:
        assert seen["write_tmp"] == "ok" and seen["read_back"] == "left for later"
        assert not Path("/tmp", name).exists() and not Path("/dev/shm", name).exists()
        assert seen["write_shm"] == "ok" and seen["fill_shm"] == "ENOSPC"
        assert set(seen["root"]) <= {"dev", "proc", "tmp", tmp_path.parts[1]}, seen["root"]
        assert set(seen["dev"]) == {"null", "random", "urandom", "shm", "fd", "stdin", "stdout", "stderr"}
        assert seen["etc_passwd"] == seen["kit"] == seen["classmate"] == "ENOENT"
        assert seen["tmp_path_siblings"] == [tmp_path.name] and seen["listed"] == ["batch", "run", "ada"]
        assert seen["submission"] == "mine" and seen["write_submission"] == "EROFS"
        assert (submission / "ex01.py").read_text() == "mine"
        assert seen["write_run"] == seen["null"] == "ok" and seen["cwd"] == str(run)
        assert (run / "out.txt").read_text() == "handed back"
        assert seen["mount_more"] == "EPERM"  # capabilities given up: the mounts stay as they are
    finally:
        for folder in ("/tmp", "/dev/shm"):
            Path(folder, name).unlink(missing_ok=True)


@needs["mount namespace"]
def test_what_the_child_may_read_is_read_only_down_to_the_mounts_below_it(tmp_path):
    """A folder of its view with a file system mounted inside (as /sys/fs/cgroup holds one per
    controller): read-only there too, not only at the top of the bind."""
    view, run = tmp_path / "view", tmp_path / "run"
    (view / "inner").mkdir(parents=True)
    run.mkdir()

    def look() -> dict[str, str]:
        assert confine._enter_namespaces(LIBC)
        assert LIBC.unshare(confine.CLONE_NEWNS) == 0
        assert LIBC.mount(None, b"/", None, confine.MS_REC | confine.MS_PRIVATE, None) == 0
        assert LIBC.mount(b"tmpfs", str(view / "inner").encode(), b"tmpfs", 0, b"size=1m") == 0
        before = outcome(lambda: (view / "inner" / "before.txt").write_text("x"))
        assert confine._mounts(LIBC, run, [str(view)], [view])
        return {"before": before, "top": outcome(lambda: (view / "top.txt").write_text("x")),
                "below": outcome(lambda: (view / "inner" / "after.txt").write_text("x"))}

    assert in_child(look) == {"before": "ok", "top": "EROFS", "below": "EROFS"}


@needs["mount namespace"]
def test_a_new_root_that_cannot_be_made_leaves_the_machines_in_place(tmp_path):
    """A tmpfs refused (here: options the kernel rejects) is no protection, and the child keeps its files."""
    def look() -> dict[str, object]:
        assert confine._enter_namespaces(LIBC)
        confine.PRIVATE_TMPFS = (("/tmp", "size=64m,no_such_option=1"),)
        mounted = confine._mounts(LIBC, tmp_path, [], [])
        return {"mounted": mounted, "sees": os.path.exists(tmp_path / "here.txt"), "etc": os.path.exists("/etc")}

    (tmp_path / "here.txt").write_text("x")
    assert in_child(look) == {"mounted": [], "sees": True, "etc": True}


def test_import_paths_outside_the_environment_and_the_course_are_not_in_the_view(tmp_path, monkeypatch):
    """``python -m autograder grade`` from a folder puts that folder first on the import path: a batch's
    folder, other students' work and results. Only the environment's and the course's own paths count."""
    from autograder.course import Course

    course = Course.locate().root
    started_in, elsewhere = tmp_path / "batches", tmp_path / "site"
    for folder in (started_in, elsewhere):
        folder.mkdir()
    monkeypatch.chdir(started_in)
    environment = {Path(sys.prefix).resolve()}
    inside = Path(sys.prefix).resolve() / "lib"
    monkeypatch.setattr(sys, "path", ["", str(started_in), str(elsewhere), str(course), str(course.parent),
                                      str(course / "tests"), str(inside)])
    assert confine._import_paths(environment, course) == {course / "tests", inside}
    assert not {str(started_in), str(elsewhere)} & {str(p) for p in confine._view()}


def test_the_new_root_binds_each_path_once_and_makes_links_again(tmp_path):
    """Planned without mounting: binds at resolved paths, none inside another (but the run folder), and
    the links on the way to them (relative, absolute, through ``..``) made again; a loop is an error."""
    (tmp_path / "real" / "deep").mkdir(parents=True)
    (tmp_path / "real" / "deep" / "run").mkdir()
    os.symlink("real/deep/../deep", tmp_path / "rel")
    os.symlink(str(tmp_path / "real"), tmp_path / "abs")
    os.symlink("loop2", tmp_path / "loop1")
    os.symlink("loop1", tmp_path / "loop2")
    run = tmp_path / "abs" / "deep" / "run"
    binds, links = confine._plan(run, [str(tmp_path / "rel"), str(tmp_path / "abs" / "deep")], [])
    deep = str(tmp_path / "real" / "deep")
    assert {place: value for place, value in binds.items() if place.startswith(str(tmp_path))} == {
        deep: (deep, False), deep + "/run": (deep + "/run", True)}
    assert list(binds)[-1] == deep + "/run"  # mounted last, over the read-only folder that shows it
    assert binds["/proc"] == ("/proc", True) and binds[os.devnull] == (os.devnull, True)
    assert {place: target for place, target in links.items() if place.startswith(str(tmp_path))} == {
        str(tmp_path / "rel"): "real/deep/../deep", str(tmp_path / "abs"): str(tmp_path / "real")}
    assert links["/dev/fd"] == "/proc/self/fd"
    with pytest.raises(OSError):
        confine._plan(None, [str(tmp_path / "loop1")], [])


# ----------------------------------------------------------------------------------- all of it at once


def confined_look(run: Path, submission: Path, classmate: Path, outside: Path, existing: str) -> dict:
    applied = confine.apply(run, confine.Confinement(readable=(str(submission),)))
    return {
        "applied": applied,
        "uid": os.getuid(),
        "write_run": outcome(lambda: (run / "mine.txt").write_text("x")),
        "read_submission": outcome(lambda: (submission / "ex01.py").read_text()),
        "read_classmate": outcome(lambda: (classmate / "ex01.py").read_text()),
        "write_outside": outcome(lambda: outside.write_text("x")),
        "write_tmp": outcome(lambda: Path("/tmp", outside.name).write_text("x")),
        "list_root": outcome(lambda: os.listdir("/")),
        "etc_shadow": outcome(lambda: Path("/etc/shadow").read_text()),
        "attempts": process_attempts(existing),
    }


def expected_for(offered: set[str]) -> dict:
    hidden = "ENOENT" if "mount namespace" in offered else "EACCES"  # not in its root, or refused by Landlock
    return {"write_run": "ok", "read_submission": "ok", "read_classmate": hidden, "write_outside": "EACCES",
            "write_tmp": "EACCES", "list_root": "EACCES", "etc_shadow": hidden}


@pytest.mark.skipif(not {"namespaces", "mount namespace", "landlock files", "seccomp"} <= OFFERED,
                    reason="the machine does not offer every protection")
def test_a_confined_child_gets_every_protection_the_machine_offers(tmp_path, existing):
    run, submission, classmate = tmp_path / "run", tmp_path / "ada", tmp_path / "bob"
    for folder in (run, submission, classmate):
        folder.mkdir()
        (folder / "ex01.py").write_text("code")
    os.chdir(run)
    try:
        seen = in_child(lambda: confined_look(run, submission, classmate, tmp_path / "outside.txt", existing))
    finally:
        os.chdir(tmp_path)
    assert set(seen.pop("applied")) == {"namespaces", "mount namespace", "landlock", "seccomp"} | (
        {"pid namespace", "private /proc", "task limit"} & OFFERED)
    assert seen.pop("uid") == confine.INNER_ID
    attempts = seen.pop("attempts")
    # Landlock refuses some before seccomp sees them: a link or pipe outside the run folder
    # Landlock refuses the existing file's shared mapping too: it may not write the file at all
    landlocked = ("named_pipe", "symlink", "hard_link", "shared_file")
    assert {k: v for k, v in attempts.items() if k not in landlocked} == \
        {k: v for k, v in REFUSED_BY_SECCOMP.items() if k not in landlocked}
    assert {attempts[k] for k in landlocked} <= {"EPERM", "EACCES", "ENOENT"}  # ENOENT: not in its root
    assert seen == expected_for(OFFERED)
    assert not (tmp_path / "outside.txt").exists() and not Path("/tmp/outside.txt").exists()


NOBODY = 65534


@pytest.mark.skipif(os.getuid() != 0, reason="only root can start a child as another user")
@pytest.mark.skipif(not {"namespaces", "landlock files", "seccomp"} <= OFFERED, reason="missing protections")
def test_a_grader_that_is_not_root_confines_its_children_all_the_same():
    """A grader running as an ordinary user (here: nobody) gets every protection too: all of it is
    unprivileged."""
    base = Path(tempfile.mkdtemp(prefix="tfgrade-confine-nobody-", dir="/tmp"))  # not under root's own folders
    try:
        run, submission, classmate = base / "run", base / "ada", base / "bob"
        for folder in (run, submission, classmate):
            folder.mkdir()
            (folder / "ex01.py").write_text("code")
        base.chmod(0o755)
        run.chmod(0o777)
        mine = base / "existing.txt"
        mine.write_text("nobody's")
        os.chown(mine, NOBODY, NOBODY)

        def as_nobody() -> dict:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            LIBC.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: cleared by setuid, as for a grader started as nobody
            os.chdir(run)
            return confined_look(run, submission, classmate, base / "outside.txt", str(mine))

        seen = in_child(as_nobody)
        expected_applied = {"namespaces", "landlock", "seccomp"} | (
            {"pid namespace", "mount namespace", "private /proc", "task limit"} & OFFERED)
        assert set(seen.pop("applied")) == expected_applied
        assert seen.pop("uid") == confine.INNER_ID
        attempts = seen.pop("attempts")
        for name in ("fork", "tcp_socket", "unix_socket", "kill_parent", "limit_parent", "renice_user", "chmod",
                     "touch", "memfd", "shared_anonymous"):
            assert attempts[name] == "EPERM", (name, attempts)
        for name in ("thread", "thread_ran", "kill_own_group", "limit_self", "renice_self"):
            assert attempts[name] == "ok", (name, attempts)
        assert seen == expected_for(OFFERED)
        assert (run / "mine.txt").stat().st_uid == NOBODY and not (base / "outside.txt").exists()
        assert mine.stat().st_mode & 0o777 != 0o777
    finally:
        shutil.rmtree(base, ignore_errors=True)


# ------------------------------------------------------------------------------ what the grade records


def test_a_grade_records_what_confined_the_students_code():
    assert environment()["protections"] == (", ".join(confine.available()) or "none")
    assert set(confine.available()) <= set(confine.PROTECTIONS)


def test_grading_warns_when_a_protection_is_missing(tmp_path, monkeypatch, capsys):
    student = tmp_path / "ada"
    student.mkdir()
    (student / "ex01_sequential.py").write_text(stub_text("ex01"))
    monkeypatch.setattr(confine, "available", lambda: ["landlock files"])
    assert grade_command.main(submission=student, out=tmp_path / "out", exercises=["1"]) == 0
    err = capsys.readouterr().err
    assert ("cannot confine students' code with namespaces, pid namespace, mount namespace, private /proc, "
            "task limit, landlock tcp, landlock signals, seccomp, memory cgroup") in err

"""A warm grader for ``tfgrade check``, in the manner of dmypy or the Gradle daemon.

Each ``tfgrade check`` would otherwise pay TensorFlow's import (4-15 s) before grading a second of
work. The first check starts a background process for the course, which starts its forkserver
(TensorFlow imported once) and serves checks over a Unix socket; later checks connect, send what to
grade, and print the results streamed back. The daemon is the same trusted deciding process the
check would have been: student code still runs only in confined, time-limited children.

The socket lives in a folder only the user can enter, named by the course, the kit's code and the
``TFGRADE_*`` settings, so a changed grader or setting starts a fresh daemon. A daemon exits after
``TFGRADE_DAEMON_IDLE`` seconds (default 900) without a request, or on ``tfgrade daemon stop``.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from autograder import sandbox
from autograder.course import PACKAGE_DIR, Course, fingerprint, secret
from autograder.errors import DaemonUnavailable
from autograder.results import ExerciseResult, GradingResult
from autograder.sandbox.process import child_environment

IDLE_SECONDS = 900.0
START_SECONDS = 180.0  # TensorFlow's import on a slow, busy laptop; after that, check without a daemon
ENCODING = "utf-8"
# Settings of the daemon itself, not of grading; and the course secret, which a check never uses (checks
# run on the public data) and which the daemon is not handed.
IGNORED = ("TFGRADE_DAEMON", "TFGRADE_DAEMON_IDLE", secret.ENV)
IGNORED_DATA_SECONDS = 0.1  # a client that sends more than its request: how often the watch looks again


def runtime_dir() -> Path:
    """A folder of the user's own (mode 0700), refused if anyone else could enter or own it."""
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    folder = base / f"tfgrade-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or not folder.is_dir() or folder.is_symlink():
        raise DaemonUnavailable(f"{folder} is not a private folder of this user")
    return folder


@dataclass(frozen=True)
class Address:
    """Where the daemon for this course, kit and settings listens."""

    socket: Path

    @classmethod
    def for_course(cls, course: Course) -> "Address":
        import hashlib

        settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("TFGRADE_") and k not in IGNORED)
        key = "|".join([fingerprint(PACKAGE_DIR), str(course.root), json.dumps(settings), sys.prefix])
        return cls(runtime_dir() / f"check-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sock")

    @property
    def lock(self) -> Path:
        return self.socket.with_suffix(".lock")

    @property
    def log(self) -> Path:
        return self.socket.with_suffix(".log")


# ---------------------------------------------------------------------------------------- client


def check(address: Address, folder: Path, exercise_ids: list[str],
          on_exercise: Callable[[ExerciseResult], None] | None = None, hidden: bool = False,
          on_start: Callable[[], None] | None = None,
          on_progress: Callable[[dict[str, Any]], None] | None = None) -> GradingResult:
    """Grade ``folder`` in the warm daemon, starting it when none is running (``on_start`` is told):
    the public checks, and with ``hidden`` also the hidden ones where the course has its solutions
    (their details withheld). ``on_progress`` is told ``{"started": exercise_id}`` when an exercise's
    children start to run and ``{"reference": exercise_id, "measuring": bool}`` around measuring a
    reference. Closing the connection (Ctrl-C here) cancels the check: the daemon kills its children."""
    connection = _connect(address)
    if connection is None:
        if on_start:
            on_start()
        connection = _start(address)
    with connection, connection.makefile("rw", encoding=ENCODING) as stream:
        order = {"folder": str(folder), "exercises": exercise_ids, "hidden": hidden}
        stream.write(json.dumps({"check": order}) + "\n")
        stream.flush()
        for message in _messages(stream):
            if "exercise" in message and on_exercise:
                on_exercise(ExerciseResult.from_dict(message["exercise"]))
            elif ("started" in message or "reference" in message) and on_progress:
                on_progress(message)
            elif "result" in message:
                return GradingResult.from_dict(message["result"])
            elif "failure" in message:
                raise DaemonUnavailable(message["failure"])
    raise DaemonUnavailable(f"the warm grader stopped before it finished (its log: {address.log})")


def stop(addresses: list[Address]) -> list[int]:
    """Ask the daemons at ``addresses`` to exit (each after the check it is running); their pids."""
    return _ask(addresses, "stop", "stopping")


def every_address() -> list[Address]:
    """The addresses of every daemon of this user, for every course and setting."""
    return [Address(path) for path in sorted(runtime_dir().glob("check-*.sock"))]


def running() -> list[dict[str, Any]]:
    """What each running daemon of this user says about itself (pid, course, idle time, checks served)."""
    return _ask(every_address(), "status", "status")


def _ask(addresses: list[Address], request: str, answer: str) -> list[Any]:
    """Send ``{request: true}`` to each daemon that listens; collect what each answers under ``answer``."""
    answers = []
    for address in addresses:
        connection = _connect(address)
        if connection is None:
            continue
        try:
            with connection, connection.makefile("rw", encoding=ENCODING) as stream:
                stream.write(json.dumps({request: True}) + "\n")
                stream.flush()
                answers += [message[answer] for message in _messages(stream) if answer in message]
        except OSError:  # it exited (or was killed) while answering: it is not running
            continue
    return answers


def _connect(address: Address) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(address.socket))
    except OSError:  # none listening: no file, or a stale one left by a killed daemon
        connection.close()
        return None
    return connection


def _start(address: Address) -> socket.socket:
    with open(address.log, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "autograder.daemon", str(address.socket)],
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                                   cwd=str(address.socket.parent), env=child_environment())
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        connection = _connect(address)
        if connection is not None:
            return connection
        if process.poll() not in (None, 0):
            raise DaemonUnavailable(f"the warm grader could not start (exit code {process.returncode}; its log: "
                                    f"{address.log})")
        time.sleep(0.05)
    raise DaemonUnavailable(f"the warm grader did not start within {START_SECONDS:.0f} s")


def _messages(stream: Any) -> Iterator[dict[str, Any]]:
    for line in stream:
        try:
            message = json.loads(line)
        except ValueError:
            return
        if isinstance(message, dict):
            yield message


# ---------------------------------------------------------------------------------------- server


def serve(address: Address, idle_seconds: float) -> None:
    """Listen until ``idle_seconds`` pass without a request. One daemon per address: a second one
    started in a race finds the lock taken and leaves."""
    with open(address.lock, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        from autograder import sandbox
        from autograder.grading import reference

        sandbox.warm_up()  # before listening: a client that connects finds TensorFlow loaded
        course = Course.locate()
        state = {"pid": os.getpid(), "socket": str(address.socket), "course": str(course.root), "started": time.time(), "served": 0,
                 "last_check": time.time()}
        address.socket.unlink(missing_ok=True)  # a killed daemon's leftover; the lock proves it is dead
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(address.socket))
        listener.listen(8)
        try:
            while True:
                # Only checks count as use: `tfgrade daemon status` does not keep a daemon alive.
                remaining = state["last_check"] + idle_seconds - time.time()
                if remaining <= 0:
                    return
                listener.settimeout(remaining)
                try:
                    connection, _ = listener.accept()
                except socket.timeout:
                    continue
                with connection:
                    connection.settimeout(None)
                    if not _answer(connection, course, reference.for_course(course), state):
                        return
        finally:
            listener.close()
            address.socket.unlink(missing_ok=True)


def _answer(connection: socket.socket, course: Course, ref: Any, state: dict[str, Any]) -> bool:
    """Answer one request; False when the daemon should stop."""
    from autograder import exercises as registry
    from autograder.grading import reference
    from autograder.grading.grade import grade_submission
    from autograder.spec import ALL, PUBLIC_ONLY

    stream = connection.makefile("rw", encoding=ENCODING)
    sending = threading.Lock()  # exercises are graded side by side: their messages must not interleave

    def send(message: dict[str, Any]) -> None:
        with sending:
            try:
                stream.write(json.dumps(message) + "\n")
                stream.flush()
            except OSError:  # the student pressed Ctrl-C: finish quietly, the next check starts afresh
                pass

    try:
        request = json.loads(stream.readline() or "{}")
    except ValueError:
        return True
    if request.get("stop"):
        send({"stopping": os.getpid()})
        return False
    if request.get("status"):
        send({"status": {**state, "idle_limit": idle_seconds()}})
        return True
    order = request.get("check") or {}
    if isinstance(ref, reference.ComputedReference):
        ref.on_measure = lambda exercise, measuring: send({"reference": exercise.id, "measuring": measuring})
    watched = reference.Watched(ref, lambda exercise: send({"started": exercise.id}))
    try:
        with _cancelled_on_hangup(connection) as cancelled:
            exercises = [registry.get(exercise_id) for exercise_id in order["exercises"]]
            visibilities = ALL if order.get("hidden") and course.has_solutions else PUBLIC_ONLY
            result = grade_submission(Path(order["folder"]), exercises, visibilities, watched,
                                      on_exercise=lambda done: send({"exercise": done.withheld().to_dict()}))
            result.exercises = [graded.withheld() for graded in result.exercises]
    except Exception as exc:  # noqa: BLE001 - the client then grades in its own process
        send({"failure": f"{type(exc).__name__}: {exc}"})
        return True
    finally:
        if isinstance(ref, reference.ComputedReference):
            ref.on_measure = None
    if cancelled.is_set():
        print(f"{time.strftime('%H:%M:%S')} check cancelled: its client left", file=sys.stderr, flush=True)
        return True
    state["served"] += 1
    state["last_check"] = time.time()
    send({"result": result.to_dict()})
    return True


@contextmanager
def _cancelled_on_hangup(connection: socket.socket) -> Iterator[threading.Event]:
    """While the block grades, watch the client's connection: once the client leaves (Ctrl-C, a closed
    terminal), the check is cancelled: its children are killed at once, and every child the grading
    starts afterwards too, until the block ends (``sandbox.cancel_children``). The event says whether
    that happened."""
    cancelled = threading.Event()
    wake, woken = os.pipe()  # ends the watch at once when the block ends (a check answers no later)

    def watch() -> None:
        if _hung_up(connection, wake):
            cancelled.set()
            sandbox.cancel_children()

    watcher = threading.Thread(target=watch, name="tfgrade-hangup", daemon=True)
    watcher.start()
    try:
        yield cancelled
    finally:
        os.write(woken, b"x")
        watcher.join()
        sandbox.allow_children()  # the next check runs
        os.close(wake)
        os.close(woken)


def _hung_up(connection: socket.socket, wake: int) -> bool:
    """Waits until the client closes its end (True) or ``wake`` turns readable (False). A client sends
    nothing after its request, so the connection turns readable only when it closes."""
    while True:
        try:
            readable, _, _ = select.select([connection, wake], [], [])
            if wake in readable:
                return False
            if connection.recv(4096, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                return True
            time.sleep(IGNORED_DATA_SECONDS)  # it sent something after all: ignored
        except BlockingIOError:
            continue
        except (OSError, ValueError):  # reset by the client
            return True


def idle_seconds() -> float:
    try:
        return float(os.environ.get("TFGRADE_DAEMON_IDLE") or IDLE_SECONDS)
    except ValueError:
        return IDLE_SECONDS


if __name__ == "__main__":
    serve(Address(Path(sys.argv[1])), idle_seconds())

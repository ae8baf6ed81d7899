"""All process I/O in one place: child processes forked from a TensorFlow-preloaded forkserver.

The deciding process never imports TensorFlow. It asks for work to be done in fresh children of a
forkserver that imported TensorFlow once (a child starts in about 0.1 s, an interpreter in 4-15 s).
A child gets its own session (so the whole process group can be killed), resource limits, a private
working directory, and stdout/stderr redirected to files there. It communicates only through files
in that directory; nothing it returns is ever unpickled.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import resource
import signal
import stat
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Mapping

from autograder.course import secret
from autograder.errors import ArtifactMissing, BadArtifact
from autograder.sandbox import artifacts, cgroup, confine, quiet

GiB = 1024**3
MiB = 1024**2

PRELOAD_MODULE = "autograder.children.preload"
FOLDER_POLL_SECONDS = 0.1  # how often a child's folder is measured: what it may write past its limit
MAPPINGS_POLL_SECONDS = 1.0  # how often its memory map is: reading a TensorFlow process' costs milliseconds


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child. Memory is RLIMIT_DATA: TensorFlow needs ~2.5 GB of address space,
    so RLIMIT_AS cannot be the memory limit, while RLIMIT_DATA turns oversized allocations into MemoryError."""

    wall_seconds: float = 120.0
    cpu_seconds: int = 300
    memory_bytes: int = 4 * GiB
    # Address space: far above what TensorFlow maps (about 1.2 GiB at import), yet a bound on what
    # RLIMIT_DATA does not count: read-only file mappings, and the page tables behind them (a child that
    # mapped a 788 MB library 1,300 times made the kernel 3 GiB of page tables).
    address_bytes: int = 16 * GiB
    file_bytes: int = 256 * MiB
    # Each descriptor (a pipe's buffer, an epoll or inotify instance) is kernel memory RLIMIT_DATA does not
    # count; containers often allow a million. TensorFlow needs a few dozen.
    open_files: int = 1024
    # Signals queued to it at once, POSIX timers among them (each holds one queued signal). The kernel
    # counts them per user, and a child in a user namespace of its own charges the grader's user too, up
    # to the limit it held when it entered the namespace: without a low one, 96,362 timers of one child
    # took all of root's signal queue, on the whole machine, for as long as it ran.
    pending_signals: int = 256
    output_chars: int = 20_000  # how much of the child's stdout and stderr is read back
    # All that the child leaves in its folder together (the kernel bounds each file, not how many):
    # watched from outside, so it may write up to FOLDER_POLL_SECONDS' worth more before it is stopped.
    folder_bytes: int = 1 * GiB
    folder_entries: int = 10_000
    # All the memory a confined child causes, where the host gives it a memory cgroup (see ``cgroup``):
    # its own, and what RLIMIT_DATA does not count (files it writes into a tmpfs, page tables, the
    # kernel's objects, page cache, which the kernel reclaims first). Past it the kernel kills the child.
    group_memory_bytes: int = 5 * GiB


def case_limits(timeout_seconds: float) -> Limits:
    """The limits of one case of an exercise. ``TFGRADE_TIMEOUT`` (seconds) lowers the wall-clock
    limit below the exercise's own: for tests, or a course that wants hangs stopped sooner."""
    override = os.environ.get("TFGRADE_TIMEOUT", "").strip()
    return Limits(wall_seconds=min(timeout_seconds, float(override)) if override else timeout_seconds)


Status = Literal["ok", "timeout", "crashed", "overfull", "memory"]


@dataclass(frozen=True)
class ChildOutcome:
    status: Status
    exit_code: int | None
    seconds: float
    stdout: str
    stderr: str
    wall_limit: float | None = None
    limits: Limits | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def describe(self) -> str:
        """A sentence for feedback on why the child did not finish normally."""
        if self.status == "timeout":
            return f"did not finish within {self.wall_limit or self.seconds:.0f} s and was stopped"
        if self.status == "overfull" and self.limits is not None:
            return (f"wrote more than {self.limits.folder_bytes // MiB} MiB or {self.limits.folder_entries} files "
                    "into its folder and was stopped")
        if self.status == "memory" and self.limits is not None:
            return (f"caused more than {self.limits.group_memory_bytes / GiB:g} GiB of memory (its own, and files "
                    "it wrote into memory) and was stopped")
        code = self.exit_code
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            hint = {"SIGKILL": " (killed: out of memory or a resource limit)",
                    "SIGXCPU": " (CPU time limit exceeded)",
                    "SIGSEGV": " (segmentation fault)"}.get(name, "")
            return f"crashed with signal {name}{hint}"
        return f"exited with code {code} before handing back a result"


_context: Any = None
_start_lock = threading.Lock()


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _default_slots() -> int:
    override = os.environ.get("TFGRADE_JOBS", "").strip()
    return max(1, int(override)) if override.isdigit() else cores()


# Each child trains on one thread (see ``determinism``), so one child per core keeps every core busy
# without the children slowing each other down. Every child of this process takes a slot first.
_slot_count = _default_slots()
_slots = threading.BoundedSemaphore(_slot_count)


def slots() -> int:
    """How many children may run at once: one per core, or ``TFGRADE_JOBS``."""
    return _slot_count


def set_slots(count: int) -> None:
    """Allow ``count`` children at once (at least one); call before grading starts."""
    global _slot_count, _slots
    _slot_count = max(1, count)
    _slots = threading.BoundedSemaphore(_slot_count)


def _forkserver() -> Any:
    """The process-wide forkserver context; TensorFlow is imported in the server once, on first use."""
    global _context
    if _context is None:
        quiet.set_quiet_environment()
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload([PRELOAD_MODULE])
    return _context


# Variables no child inherits: the course secret decides the data grades are measured on, and a child
# that read it could rebuild the test split (the measuring child is handed the data key instead).
SCRUBBED_ENV = (secret.ENV,)


def child_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every child starts with: this process' own (or ``environ``), less ``SCRUBBED_ENV``."""
    return {key: value for key, value in (os.environ if environ is None else environ).items()
            if key not in SCRUBBED_ENV}


# What the forkserver, and so every child, keeps of the grader's environment: what Python, the C library,
# TensorFlow and its math libraries read, and the kit's own settings. Nothing else (an instructor's tokens,
# a CI's credentials, a cloud's keys) reaches a child, not even as the environment the kernel shows for
# it (``/proc/self/environ``: the one the forkserver was started with).
FORKSERVER_ENV_NAMES = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "VIRTUAL_ENV", "LD_LIBRARY_PATH",
                        "CUDA_VISIBLE_DEVICES", "XLA_FLAGS")
FORKSERVER_ENV_PREFIXES = ("LC_", "PYTHON", "TF_", "KERAS_", "OMP_", "KMP_", "MKL_", "OPENBLAS_", "GRPC_", "ABSL_",
                           "TFGRADE_")


def forkserver_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment the forkserver starts with: ``child_environment`` less every name that is not
    ``FORKSERVER_ENV_NAMES`` or begins with one of ``FORKSERVER_ENV_PREFIXES``."""
    return {key: value for key, value in child_environment(environ).items()
            if key in FORKSERVER_ENV_NAMES or key.startswith(FORKSERVER_ENV_PREFIXES)}


_scrub_lock = threading.Lock()


@contextmanager
def _scrubbed_environment() -> Iterator[None]:
    """This process' environment reduced to ``forkserver_environment`` for the block: the forkserver,
    which every child is forked from, is started inside one, so that not even a child's
    ``/proc/self/environ`` (the environment it was started with) holds the secret or anything else
    of the grader's environment it does not need."""
    with _scrub_lock:
        kept = forkserver_environment()
        saved = {name: os.environ.pop(name) for name in list(os.environ) if name not in kept}
        try:
            yield
        finally:
            os.environ.update(saved)


def _ensure_forkserver() -> None:
    """Start the forkserver, in ``_scrubbed_environment``, unless it runs: this process' environment is
    changed only while the forkserver starts (once, as a rule), never under other threads at each child."""
    from multiprocessing import forkserver

    _forkserver()
    if _forkserver_running():
        return
    with _scrubbed_environment():
        forkserver.ensure_running()


def _forkserver_running() -> bool:
    """Whether this process' forkserver was started and has not ended (looked at without reaping it, which
    ``ensure_running`` does when it starts a new one)."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if pid is None:
        return False
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


def warm_up() -> None:
    """Start the forkserver now (it imports TensorFlow) so later children start instantly."""
    _ensure_forkserver()


# The children running now, and whether children are cancelled (``cancel_children``): one lock for both,
# so a child started while they are cancelled is killed by whichever of the two comes second.
_live: set[int] = set()
_live_lock = threading.Lock()
_cancelled = False


def cancel_children() -> None:
    """Kill every child running now and every child started later, at once, until ``allow_children``:
    a cancelled grading (Ctrl-C, a client that left) ends in seconds, not at its cases' time limits."""
    global _cancelled
    with _live_lock:
        _cancelled = True
        running = list(_live)
    for pid in running:
        _kill_group(pid)


def allow_children() -> None:
    """Children may run again (after ``cancel_children``)."""
    global _cancelled
    with _live_lock:
        _cancelled = False


def run_isolated(target: str, kwargs: dict[str, Any], *, workdir: Path, limits: Limits,
                 confinement: confine.Confinement | None = None,
                 steps_done: Callable[[], int] | None = None, stop_by: float | None = None) -> ChildOutcome:
    """Call ``module:function(**kwargs)`` in a fresh child with ``workdir`` as its current directory.
    With ``confinement`` the child confines itself first (see ``autograder.sandbox.confine``): untrusted code.
    With ``steps_done`` (how many of its steps the child has finished so far, as its files show), the
    wall-clock limit applies to each step: a step finished in time starts the clock again.
    With ``stop_by`` (a ``time.monotonic()`` instant: a submission's grading deadline), the child is
    stopped then whatever its steps, and is not started at all once that instant has passed (while it
    waited for a slot, say): both are reported as a timeout.

    Returns how the child ended; what it produced is whatever it wrote into ``workdir``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    with _slots:
        if stop_by is not None and time.monotonic() >= stop_by:
            return ChildOutcome("timeout", None, 0.0, "", "", 0.0)
        return _run_child(target, kwargs, workdir, limits, confinement, steps_done, stop_by)


def _run_child(target: str, kwargs: dict[str, Any], workdir: Path, limits: Limits,
               confinement: confine.Confinement | None, steps_done: Callable[[], int] | None,
               stop_by: float | None = None) -> ChildOutcome:
    leaf = cgroup.Leaf.make(limits.group_memory_bytes) if confinement is not None else None
    try:
        return _run_in(leaf, target, kwargs, workdir, limits, confinement, steps_done, stop_by)
    finally:
        if leaf is not None:
            leaf.remove()


def _run_in(leaf: cgroup.Leaf | None, target: str, kwargs: dict[str, Any], workdir: Path, limits: Limits,
            confinement: confine.Confinement | None, steps_done: Callable[[], int] | None,
            stop_by: float | None) -> ChildOutcome:
    process = _forkserver().Process(target=_child_main, name=f"tfgrade:{target}",
                                    args=(target, kwargs, str(workdir), limits, confinement,
                                          str(leaf.path) if leaf is not None else None))
    started = time.monotonic()
    with _start_lock:
        _ensure_forkserver()  # started (again, if it died) without the secret, never by start() below
        process.start()
        # multiprocessing's start() polls every child in its registry, and a poll from another
        # thread can read this child's exit status before our join does, which then reads EOF and
        # reports exit code 255 for a child that ended well. Each child here is joined by its caller.
        multiprocessing.process._children.discard(process)  # type: ignore[attr-defined]
    with _live_lock:
        _live.add(process.pid)
        cancelled = _cancelled
    if cancelled:
        _kill_group(process.pid)
    stopped = _watch(process, workdir, limits, steps_done, stop_by)
    _kill_group(process.pid)
    process.join()
    with _live_lock:
        _live.discard(process.pid)
    seconds = time.monotonic() - started
    status: Status = stopped or ("ok" if process.exitcode == 0 else
                                 "memory" if leaf is not None and leaf.out_of_memory() else "crashed")
    return ChildOutcome(status, process.exitcode, seconds, *read_output(workdir, limits), limits.wall_seconds, limits)


def _watch(process: Any, workdir: Path, limits: Limits, steps_done: Callable[[], int] | None,
           stop_by: float | None = None) -> Status | None:
    """Waits for ``process`` to end: None once it has, "timeout" once a step has run the wall-clock limit
    without finishing (or at ``stop_by``), "overfull" once its folder holds more than its limits allow
    (looked at while it runs, and once more when it has ended: what it leaves decides, not when)."""
    def step_deadline() -> float:
        ends = time.monotonic() + limits.wall_seconds
        return ends if stop_by is None else min(ends, stop_by)

    mapped = {"bytes": 0, "at": float("-inf")}

    def overfull(alive: bool = True) -> bool:
        used, entries = artifacts.folder_usage(workdir, limits.folder_entries)
        if alive:  # files it deleted but holds open or mapped take disk too, until it ends
            processes = _with_children(process.pid)
            used += sum(_deleted_but_open(pid) for pid in processes)
            if time.monotonic() - mapped["at"] >= MAPPINGS_POLL_SECONDS:
                mapped.update(bytes=sum(_deleted_but_mapped(pid) for pid in processes), at=time.monotonic())
            used += mapped["bytes"]
        return used > limits.folder_bytes or entries > limits.folder_entries

    deadline = step_deadline()
    finished = 0
    while True:
        process.join(max(0.0, min(deadline - time.monotonic(), FOLDER_POLL_SECONDS)))
        if not process.is_alive():
            return "overfull" if overfull(alive=False) else None
        if overfull():
            return "overfull"
        done = steps_done() if steps_done is not None else finished
        if done > finished:
            finished, deadline = done, step_deadline()
        elif time.monotonic() >= deadline:
            return "timeout"


def _with_children(pid: int | None) -> list[int]:
    """``pid`` and its children: a confined child runs its work in a process of its own (its PID
    namespace's first), started by the one the grader started. (It may start no other.)"""
    if pid is None:
        return []
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        children = []
    return [pid, *children[:4]]


def _deleted_but_open(pid: int) -> int:
    """The disk taken by files ``pid`` deleted and holds open: no folder lists them. Each descriptor is
    looked at, not read (a child may hold at most ``Limits.open_files``)."""
    held = 0
    try:
        with os.scandir(f"/proc/{pid}/fd") as descriptors:
            for descriptor in descriptors:
                try:
                    info = os.stat(descriptor.path)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode) and info.st_nlink == 0:
                    held += info.st_blocks * 512
    except OSError:
        pass
    return held


def _deleted_but_mapped(pid: int) -> int:
    """An upper bound of the disk taken by files ``pid`` deleted and keeps mapped (closed, they are in no
    folder and hold no descriptor): the length of each such mapping."""
    held = 0
    try:
        with open(f"/proc/{pid}/maps", "rb") as maps:
            for line in maps:
                if line.rstrip().endswith(b"(deleted)"):
                    start, end = line.split(b" ", 1)[0].split(b"-")
                    held += int(end, 16) - int(start, 16)
    except (OSError, ValueError):
        pass
    return held


def _kill_group(pid: int | None) -> None:
    """Kill the child and anything it started in its session (threads die with it). The child itself
    first: one stopped just after its start (a deadline already passed) may not have its own session
    yet, and then has no group to kill; killed, it never makes one."""
    if pid is None:
        return
    for kill in (os.kill, os.killpg):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _tail(path: Path, limit: int) -> str:
    """The end of an output file the child wrote; never raises, never blocks: a child may have put a
    link, a named pipe or a folder in its place, which is named instead of read."""
    try:
        data, size = artifacts.read_untrusted_tail(path, limit)
    except ArtifactMissing:
        return ""
    except BadArtifact as exc:
        return f"[{exc}; not read]"
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    return ("[... earlier output cut ...]\n" + text) if size > limit else text


def _child_main(target: str, kwargs: dict[str, Any], workdir: str, limits: Limits,
                confinement: confine.Confinement | None, memory_group: str | None = None) -> None:
    if memory_group is not None:
        try:
            cgroup.join(memory_group)  # first: the child's every page from here on counts there
        except OSError as exc:
            os.write(2, f"tfgrade: the grader could not put this run in its memory group: {exc}\n".encode())
            os._exit(70)
    os.setsid()
    _die_with_parent()
    for name in set(os.environ) - set(forkserver_environment()):  # the forkserver never had them; one
        os.environ.pop(name, None)                                   # started by other code might
    _apply_limits(limits)
    redirect_output(Path(workdir))
    os.chdir(workdir)
    if confinement is not None:  # first, while this process still has a single thread
        confine.apply(Path(workdir), confinement)
        _die_with_parent()  # entering a user namespace changed the credentials, which clears it
    from autograder.sandbox import determinism

    determinism.configure_process()
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    function(**kwargs)
    # The work is handed back: end now, rather than wait for threads the student's code left running.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


def _die_with_parent() -> None:
    """A grader killed outright (kill -9) takes its forkserver with it; its children must go too,
    rather than hang on with nobody left to enforce their time limit."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _apply_limits(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_AS, (limits.address_bytes, limits.address_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Before ``confine`` makes its user namespace: what it charges the grader's user is bounded by these.
    _lower(resource.RLIMIT_SIGPENDING, limits.pending_signals)
    resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))
    _lower(resource.RLIMIT_NOFILE, limits.open_files)
    # A write past RLIMIT_FSIZE should fail with an error the harness can report, not kill silently.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _lower(kind: int, value: int) -> None:
    """Set both limits of ``kind`` to ``value``, or to the hard limit where that is lower already (a
    process without root's powers cannot raise it, and a container may have set it low)."""
    _, most = resource.getrlimit(kind)
    allowed = value if most == resource.RLIM_INFINITY else min(value, most)
    resource.setrlimit(kind, (allowed, allowed))


STDOUT_FILE, STDERR_FILE = "stdout.txt", "stderr.txt"


def redirect_output(folder: Path) -> None:
    """Send this process' stdout and stderr to files in ``folder`` from now on."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    for fd, name in ((1, STDOUT_FILE), (2, STDERR_FILE)):
        handle = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)


def read_output(folder: Path, limits: Limits) -> tuple[str, str]:
    """The end of what was printed to stdout and stderr while ``folder`` received the output."""
    return _tail(folder / STDOUT_FILE, limits.output_chars), _tail(folder / STDERR_FILE, limits.output_chars)

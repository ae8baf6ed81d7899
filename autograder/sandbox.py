"""All process I/O in one place: child processes forked from a TensorFlow-preloaded forkserver.

The deciding process never imports TensorFlow. It asks for work to be done in fresh children of a
forkserver that imported TensorFlow once (about 15 ms per child instead of 4-6 s per interpreter).
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
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from autograder import quiet

GiB = 1024**3
MiB = 1024**2

PRELOAD_MODULE = "autograder.preload"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child. Memory is RLIMIT_DATA: TensorFlow needs ~2.5 GB of address space,
    so RLIMIT_AS cannot be used, while RLIMIT_DATA turns oversized allocations into MemoryError."""

    wall_seconds: float = 120.0
    cpu_seconds: int = 300
    memory_bytes: int = 4 * GiB
    file_bytes: int = 256 * MiB
    output_chars: int = 20_000  # how much of the child's stdout and stderr is read back


Status = Literal["ok", "timeout", "crashed"]


@dataclass(frozen=True)
class ChildOutcome:
    status: Status
    exit_code: int | None
    seconds: float
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def describe(self) -> str:
        """A sentence for feedback on why the child did not finish normally."""
        if self.status == "timeout":
            return f"did not finish within {self.seconds:.0f} s and was stopped"
        code = self.exit_code
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            hint = {"SIGKILL": " (killed: out of memory or a resource limit)",
                    "SIGXCPU": " (CPU time limit exceeded)",
                    "SIGSEGV": " (segmentation fault)"}.get(name, "")
            return f"crashed with signal {name}{hint}"
        return f"exited with code {code} before handing back a result"


_context: Any = None


def _forkserver() -> Any:
    """The process-wide forkserver context; TensorFlow is imported in the server once, on first use."""
    global _context
    if _context is None:
        quiet.set_quiet_environment()
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload([PRELOAD_MODULE])
    return _context


def warm_up() -> None:
    """Start the forkserver now (it imports TensorFlow) so later children start instantly."""
    from multiprocessing import forkserver

    _forkserver()
    forkserver.ensure_running()


def run_isolated(target: str, kwargs: dict[str, Any], *, workdir: Path, limits: Limits) -> ChildOutcome:
    """Call ``module:function(**kwargs)`` in a fresh child with ``workdir`` as its current directory.

    Returns how the child ended; what it produced is whatever it wrote into ``workdir``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    process = _forkserver().Process(target=_child_main, args=(target, kwargs, str(workdir), limits),
                                    name=f"tfgrade:{target}")
    started = time.monotonic()
    process.start()
    process.join(limits.wall_seconds)
    timed_out = process.is_alive()
    _kill_group(process.pid)
    process.join()
    seconds = time.monotonic() - started
    status: Status = "timeout" if timed_out else ("ok" if process.exitcode == 0 else "crashed")
    return ChildOutcome(status, process.exitcode, seconds,
                        _tail(workdir / "stdout.txt", limits.output_chars),
                        _tail(workdir / "stderr.txt", limits.output_chars))


def _kill_group(pid: int | None) -> None:
    """Kill the child and anything it started in its session (threads die with it)."""
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(path: Path, limit: int) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return ("[... earlier output cut ...]\n" + text) if size > limit else text


def _child_main(target: str, kwargs: dict[str, Any], workdir: str, limits: Limits) -> None:
    os.setsid()
    _apply_limits(limits)
    _redirect_output(Path(workdir))
    os.chdir(workdir)
    from autograder import determinism

    determinism.configure_process()
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    function(**kwargs)


def _apply_limits(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # A write past RLIMIT_FSIZE should fail with an error the harness can report, not kill silently.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _redirect_output(workdir: Path) -> None:
    for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
        handle = os.open(workdir / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)

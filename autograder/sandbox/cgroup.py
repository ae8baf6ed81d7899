"""A memory cgroup per untrusted child: a limit on all the memory it causes, not only its own.

RLIMIT_DATA bounds a child's private memory and turns an oversized allocation into a MemoryError; it
does not count what the kernel holds on the child's behalf: the files it writes into a tmpfs (its
private /tmp, a run folder on one), the page cache of what it reads and writes, its page tables and
kernel objects. A cgroup does. The grader makes one leaf per confined child below its own cgroup
(``Leaf.make``), the child moves itself into it first thing after its fork (``join``: before its
confinement takes the right to), and once the child has ended the grader reads whether the kernel
killed it there for memory (``Leaf.out_of_memory``) and removes the leaf.

Both cgroup versions are used, where the host lets the grader's user make groups with a memory
limit below its own group:

- cgroup v2, where the memory controller is already handed down to the grader's group's children
  (``cgroup.subtree_control``; a group that holds processes cannot hand it down, so the kit never
  moves the grader to make that possible: delegate a group to it, as ``systemd-run --scope -p
  Delegate=yes`` does, with the grader in a leaf of its own);
- cgroup v1's memory hierarchy (as root, typically).

Elsewhere there is no leaf, ``available()`` is false and ``tfgrade grade`` warns that the protection
``memory cgroup`` is missing. A leaf is named after the grader's pid (``tfgrade-<pid>-<n>``), so the
first leaf a grader makes first removes the empty leaves of graders that are gone (killed with -9).
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
from dataclasses import dataclass
from pathlib import Path

PREFIX = "tfgrade-"
PROCS = "cgroup.procs"

_numbers = itertools.count()
_probe_lock = threading.Lock()


@dataclass(frozen=True)
class Hierarchy:
    """Where leaves are made: the grader's own group, in one cgroup version."""

    folder: Path
    version: int

    @property
    def limit_file(self) -> str:
        return "memory.max" if self.version == 2 else "memory.limit_in_bytes"

    @property
    def swap_file(self) -> str:
        # v1 bounds memory and swap together (at least the memory limit); v2 bounds swap alone.
        return "memory.swap.max" if self.version == 2 else "memory.memsw.limit_in_bytes"


@dataclass(frozen=True)
class Leaf:
    """One child's memory group."""

    path: Path
    version: int

    @classmethod
    def make(cls, limit_bytes: int) -> Leaf | None:
        """A new leaf that lets its processes cause at most ``limit_bytes`` of memory, or None where
        this host gives the grader none."""
        hierarchy = _hierarchy()
        if hierarchy is None:
            return None
        return _make(hierarchy, f"{PREFIX}{os.getpid()}-{next(_numbers)}", limit_bytes)

    def out_of_memory(self) -> bool:
        """Whether the kernel killed a process of the leaf for passing its limit."""
        events = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            lines = (self.path / events).read_text().splitlines()
        except OSError:
            return False
        counts = dict(line.split(maxsplit=1) for line in lines if " " in line)
        return int(counts.get("oom_kill", "0")) > 0

    def remove(self) -> None:
        """Remove the leaf once its processes are gone (a killed child's may take a moment to be reaped)."""
        _remove(self.path)


def join(path: str) -> None:
    """Move this process (a child, before anything else runs in it) into its leaf: raises OSError if it
    cannot, and then the child must not run at all."""
    _write(Path(path) / PROCS, os.getpid())


def available() -> bool:
    """Whether this host gives the grader memory groups for its children."""
    return _hierarchy() is not None


def _make(hierarchy: Hierarchy, name: str, limit_bytes: int) -> Leaf | None:
    path = hierarchy.folder / name
    try:
        path.mkdir()
    except OSError:
        return None
    leaf = Leaf(path, hierarchy.version)
    try:
        _write(path / hierarchy.limit_file, limit_bytes)
    except OSError:
        leaf.remove()
        return None
    # Swap would let it hold more than its limit; where there is no swap, these are absent or refused.
    _write_if_present(path / hierarchy.swap_file, 0 if hierarchy.version == 2 else limit_bytes)
    if hierarchy.version == 2:
        _write_if_present(path / "memory.oom.group", 1)  # the kernel kills the whole child at once
    return leaf


def _hierarchy() -> Hierarchy | None:
    """The first hierarchy, v2 then v1, in which a leaf with a memory limit can be made and removed:
    probed once per process (two threads probing at once would trip over each other's probe leaf), which
    then removes what graders that are gone left there."""
    with _probe_lock:
        return _probed()


@functools.cache
def _probed() -> Hierarchy | None:
    for hierarchy in _candidates():
        probe = _make(hierarchy, f"{PREFIX}{os.getpid()}-probe", 1 << 30)
        if probe is None:
            continue
        usable = os.access(probe.path / PROCS, os.W_OK)
        probe.remove()
        if usable and not probe.path.exists():
            clean(hierarchy.folder)
            return hierarchy
    return None


def _candidates() -> list[Hierarchy]:
    """The grader's own group in the v2 hierarchy (if memory is handed down from it) and in v1's memory
    hierarchy, from the mounts this process sees."""
    try:
        groups = Path("/proc/self/cgroup").read_text().splitlines()
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    own = {}
    for line in groups:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and not controllers:
            own[2] = path
        elif "memory" in controllers.split(","):
            own[1] = path
    found = []
    for line in mounts:
        fields, _, rest = line.partition(" - ")
        before, after = fields.split(), rest.split()
        if len(before) < 5 or len(after) < 3:
            continue
        root, mountpoint, kind, options = before[3], before[4], after[0], after[2].split(",")
        version = 2 if kind == "cgroup2" else 1 if kind == "cgroup" and "memory" in options else None
        if version is None or version not in own or not _below(own[version], root):
            continue
        folder = Path(_unescape(mountpoint)) / os.path.relpath(own[version], root)
        if version == 2 and "memory" not in _read_words(folder / "cgroup.subtree_control"):
            continue
        found.append(Hierarchy(folder, version))
    return sorted(found, key=lambda hierarchy: -hierarchy.version)


def _below(path: str, root: str) -> bool:
    return path == root or root == "/" or path.startswith(root.rstrip("/") + "/")


def _unescape(field: str) -> str:
    """mountinfo writes a space, tab, newline and backslash in a path as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _read_words(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except OSError:
        return []


def clean(folder: Path) -> list[Path]:
    """Remove the leaves in ``folder`` whose grader is gone; returns what was removed."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        owner = entry.name[len(PREFIX):].split("-", 1)[0] if entry.name.startswith(PREFIX) else ""
        if owner.isdigit() and not _alive(int(owner)) and entry.is_dir():
            _remove(entry, attempts=1)
            if not entry.exists():
                removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path, attempts: int = 50) -> None:
    for attempt in range(attempts):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:  # EBUSY: a process of it is not reaped yet
            if attempt + 1 < attempts:
                threading.Event().wait(0.01)


def _write(path: Path, value: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.write(fd, f"{value}\n".encode())
    finally:
        os.close(fd)


def _write_if_present(path: Path, value: int) -> None:
    try:
        _write(path, value)
    except OSError:
        pass

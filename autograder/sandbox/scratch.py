"""Temporary folders that a killed grader does not leave behind.

Every temporary folder the kit makes (a case's run folder, an extracted archive, converted notebooks)
comes from here. It lives under one folder of the user's own, ``$TMPDIR/tfgrade-<uid>/`` (mode 0700,
refused if anyone else owns it or could enter it; the warm grader's socket may share it), inside a
folder of the process that made it, ``scratch-<pid>-<random>/``. That process holds an
``fcntl.flock`` on the folder's ``owner`` file (which holds its pid) for as long as it lives. The
kernel drops the lock when the process dies, however it dies (``kill -9`` included), and a later
process that happens to get the same pid does not hold it. So the first temporary folder a process
asks for first removes every process folder whose lock is free: whatever a killed run left.

A process removes its own folder, and those of its children that have ended, when it exits normally;
each temporary folder is still removed by whoever made it, as with ``tempfile``. Where the user's
folder cannot be used safely, folders are made by ``tempfile`` as before (still private, but not
cleaned up after a crash).
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import os
import shutil
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

OWNER = "owner"  # in a process folder: the pid of the process that holds a lock on it
PROCESS_PREFIX = "scratch-"
# A process folder with no owner file, or an owner file its process has not locked yet, is being made
# right now (that takes microseconds); one older than this was left by a process killed while making it.
GRACE_SECONDS = 60.0

_lock = threading.Lock()
_mine: dict[str, object] = {}  # pid, folder and lock descriptor of this process's folder


def root() -> Path | None:
    """The user's own folder for the kit's temporary files, or None where it is not private."""
    folder = Path(tempfile.gettempdir()) / f"tfgrade-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def mkdtemp(prefix: str = "tfgrade-", suffix: str = "") -> str:
    """``tempfile.mkdtemp``, in this process's folder, so a later run removes it if this one is killed."""
    try:
        return tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=_process_folder())
    except FileNotFoundError:  # someone removed this process's folder (a cleaner of old temporary files)
        _forget()
        return tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=_process_folder())


@contextmanager
def temporary_directory(prefix: str = "tfgrade-", suffix: str = "") -> Iterator[str]:
    """``tempfile.TemporaryDirectory``, made by ``mkdtemp`` above."""
    folder = mkdtemp(prefix=prefix, suffix=suffix)
    try:
        yield folder
    finally:
        _remove(Path(folder))


def clean(parent: Path | None = None) -> list[Path]:
    """Remove the process folders whose process is gone; returns what was removed."""
    parent = parent if parent is not None else root()
    if parent is None:
        return []
    removed = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        if (entry.name.startswith(PROCESS_PREFIX) and entry.is_dir() and not entry.is_symlink()
                and _remove_if_abandoned(entry)):
            removed.append(entry)
    return removed


def _remove_if_abandoned(folder: Path) -> bool:
    try:
        fd = os.open(folder / OWNER, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:  # being made right now, or its maker was killed before it wrote the file
        if _age(folder) < GRACE_SECONDS:
            return False
        _remove(folder)
        return True
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False  # its process is alive
            raise
        info = os.fstat(fd)
        if info.st_size == 0 and time.time() - info.st_mtime < GRACE_SECONDS:
            return False  # made a moment ago; its process is about to lock it
        _remove(folder)  # still holding the lock, so no other cleaner races this one
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _process_folder() -> str:
    """This process's folder, made (after cleaning up the folders of dead processes) on first use."""
    with _lock:
        if _mine.get("pid") == os.getpid():
            return str(_mine["folder"])
        _forget_locked()  # a forked child's folder is its own: the one it inherited stays its parent's
        parent = root()
        if parent is None:
            return tempfile.gettempdir()
        clean(parent)
        folder = Path(tempfile.mkdtemp(prefix=f"{PROCESS_PREFIX}{os.getpid()}-", dir=parent))
        fd = os.open(folder / OWNER, os.O_CREAT | os.O_EXCL | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until this process exits
        os.write(fd, f"{os.getpid()}\n".encode())
        _mine.update(pid=os.getpid(), folder=folder, fd=fd)
        return str(folder)


def _forget() -> None:
    with _lock:
        _forget_locked()


def _forget_locked() -> None:
    fd = _mine.get("fd")
    if isinstance(fd, int):  # closing this copy never releases a lock another process's copy holds
        try:
            os.close(fd)
        except OSError:
            pass
    _mine.clear()


@atexit.register
def _remove_mine() -> None:
    """At a normal exit: this process's folder, and those its children left (they end with ``os._exit``)."""
    with _lock:
        if _mine.get("pid") != os.getpid():
            return
        folder, fd = Path(str(_mine["folder"])), _mine["fd"]
        _mine.clear()
        _remove(folder)
        if isinstance(fd, int):
            os.close(fd)
        clean(folder.parent)


def _remove(folder: Path) -> None:
    """Remove a folder, whatever a child did to the permissions inside it (a folder made read-only)."""
    shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        return
    _chmod(str(folder))
    for path, folders, _ in os.walk(folder):  # top down: each folder is opened up before it is entered
        for name in folders:
            _chmod(os.path.join(path, name))
    shutil.rmtree(folder, ignore_errors=True)


def _chmod(path: str) -> None:
    try:
        if not os.path.islink(path):
            os.chmod(path, 0o700)
    except OSError:
        pass


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0

"""The files a child hands back: their fixed names and bounded JSON reading and writing.

A run directory holds ``result.json`` (status and message), and, by what the function returns,
``model.keras``, ``history.json``, ``value.json`` or a dataset's two files; a measuring child writes
``observations.json``. File names are fixed here, never read from the child, and JSON is read with a
size limit. Saving what a function returned is the run child's work (``children.handback``), loading
it the measuring child's (``measure.loading``).

Every file a child could have written is hostile: in place of the file it handed back, a child may
leave a symbolic link (to ``/dev/zero``, which never ends, or to a file it may not read itself, such
as a reference solution), a named pipe (whose opening blocks for ever), a folder or a device, and it
may replace its run folder itself by a link. The trusted processes therefore read such files only
through ``read_untrusted`` and ``read_untrusted_tail`` (or ``copy_untrusted`` where a library needs a
path): opened relative to their folder, neither the folder nor the file followed if it is a link,
without blocking, and only if the opened file is a regular one within a size limit.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from autograder.errors import ArtifactMissing, ArtifactTooLarge, BadArtifact

RESULT = "result.json"
MODEL = "model.keras"
HISTORY = "history.json"
VALUE = "value.json"
CALLBACK = "callback.json"  # a callback as its class name and constructor settings, plain values only
# A tf.data.Dataset cannot be saved as a file a trusted process could load without running its code, so
# the run child hands back what it yielded: arrays in an .npz, their shapes and element spec as JSON.
DATASET = "dataset.json"
DATASET_ARRAYS = "dataset.npz"
OBSERVATIONS = "observations.json"  # what a measuring child writes
DATASET_EPOCHS = 2
MAX_DATASET_ELEMENTS = 10_000  # per epoch: more means an endless dataset (repeat()) or a missing batch()
MAX_DATASET_COMPONENTS = 8
MAX_DATASET_BYTES = 64 * 1024 * 1024

MAX_JSON_BYTES = 8 * 1024 * 1024


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, allow_nan=True))
    tmp.replace(path)


def read_json(path: Path) -> Any:
    data = read_untrusted(path, MAX_JSON_BYTES)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadArtifact(f"{path.name} is not valid JSON: {exc}") from None


def read_result(run_dir: Path) -> dict[str, Any]:
    """The child's own account of the run; only ``status`` and ``message`` strings are kept."""
    data = read_json(run_dir / RESULT)
    if not isinstance(data, dict) or data.get("status") not in ("ok", "error"):
        raise BadArtifact(f"{RESULT} has no valid status")
    return {"status": data["status"], "kind": str(data.get("kind", ""))[:40],
            "message": str(data.get("message", ""))[:4000]}


# ------------------------------------------------------------------- reading what a child left behind

_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_OPEN_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_CHUNK = 1024 * 1024


def read_untrusted(path: Path, limit: int) -> bytes:
    """The content of the regular file at ``path``, which a child may have replaced by anything: see
    ``open_untrusted``. Raises ``ArtifactMissing`` when there is no file, ``ArtifactTooLarge`` when it
    holds more than ``limit`` bytes, ``BadArtifact`` when it is anything but a regular file."""
    fd = open_untrusted(path)
    try:
        if os.fstat(fd).st_size > limit:
            raise ArtifactTooLarge(f"{path.name} is larger than {_megabytes(limit)} MB")
        return _read_at_most(fd, limit)
    finally:
        os.close(fd)


def read_untrusted_tail(path: Path, limit: int) -> tuple[bytes, int]:
    """The last ``limit`` bytes of the regular file at ``path`` (checked as by ``read_untrusted``), and
    how many bytes it holds in all: for output files, which may be larger than anyone reads."""
    fd = open_untrusted(path)
    try:
        size = os.fstat(fd).st_size
        os.lseek(fd, max(0, size - limit), os.SEEK_SET)
        return _read_at_most(fd, limit), size
    finally:
        os.close(fd)


def copy_untrusted(path: Path, destination: Path, limit: int) -> None:
    """Copy the regular file at ``path`` (checked as by ``read_untrusted``) into a new file
    ``destination``, for a library that opens a path itself: hand it the copy, never ``path``."""
    fd = open_untrusted(path)
    try:
        if os.fstat(fd).st_size > limit:
            raise ArtifactTooLarge(f"{path.name} is larger than {_megabytes(limit)} MB")
        with open(destination, "xb") as copy:
            remaining = limit
            while remaining > 0 and (chunk := os.read(fd, min(remaining, _CHUNK))):
                copy.write(chunk)
                remaining -= len(chunk)
    finally:
        os.close(fd)


def open_untrusted(path: Path) -> int:
    """A read-only descriptor of the regular file at ``path``; the caller closes it.

    The file is opened relative to its folder, and neither that folder nor the file is followed if it
    is a symbolic link (the folders above are the grader's own); the opening never blocks (a named
    pipe opens at once), and what was opened must be a regular file, as ``fstat`` on the descriptor
    tells: no link, pipe, folder, socket or device is ever read."""
    folder = _open_folder(path)
    try:
        try:
            fd = os.open(path.name, _OPEN_FILE, dir_fd=folder)
        except OSError as exc:
            raise _refusal(path, exc) from None
    finally:
        os.close(folder)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise BadArtifact(f"{path.name} is not a regular file but {_kind(mode)}")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_folder(path: Path) -> int:
    try:
        return os.open(path.parent, _OPEN_FOLDER)
    except FileNotFoundError:
        raise ArtifactMissing(f"{path.name} is missing") from None
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ELOOP) and os.path.islink(path.parent):
            raise BadArtifact(f"the folder {path.parent.name} that holds {path.name} is a symbolic link, "
                              "which the grader never follows") from None
        if exc.errno == errno.ENOTDIR:
            raise BadArtifact(f"the folder {path.parent.name} that holds {path.name} is not a folder") from None
        raise BadArtifact(f"{path.name} could not be opened: {exc.strerror}") from None


def _refusal(path: Path, exc: OSError) -> BadArtifact:
    if exc.errno == errno.ENOENT:
        return ArtifactMissing(f"{path.name} is missing")
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
        return BadArtifact(f"{path.name} is a symbolic link, which the grader never follows")
    if exc.errno == errno.ENXIO:  # a socket
        return BadArtifact(f"{path.name} is not a regular file but a socket")
    return BadArtifact(f"{path.name} could not be opened: {exc.strerror}")


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISDIR, "a folder"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((name for test, name in kinds if test(mode)), "something else")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, remaining = [], limit
    while remaining > 0 and (chunk := os.read(fd, min(remaining, _CHUNK))):
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _megabytes(limit: int) -> int:
    return limit // (1024 * 1024)



FOLDER_DEPTH = 32  # folders deeper than this in a child's folder count as too many entries


def folder_usage(folder: Path, entry_limit: int) -> tuple[int, int]:
    """The bytes a child's folder takes on disk (allocated blocks, so a sparse file counts for what it
    holds) and how many files and folders it holds, counting stopped once past ``entry_limit`` (a folder
    of millions of files is told from an honest one without listing them all; one nested deeper than
    ``FOLDER_DEPTH`` counts as past it). Only folders are opened, each relative to its parent and never
    through a link, one descriptor per level; what vanishes while the child works counts as nothing."""
    counted = {"bytes": 0, "entries": 0}

    def walk(fd: int, depth: int) -> None:
        if depth > FOLDER_DEPTH:
            counted["entries"] = entry_limit + 1
            return
        subfolders = []
        with os.scandir(fd) as listing:
            for entry in listing:
                counted["entries"] += 1
                if counted["entries"] > entry_limit:
                    return
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                counted["bytes"] += info.st_blocks * 512
                if stat.S_ISDIR(info.st_mode):
                    subfolders.append(entry.name)
        for name in subfolders:
            try:
                inner = os.open(name, _OPEN_FOLDER, dir_fd=fd)
            except OSError:
                continue
            try:
                walk(inner, depth + 1)
            finally:
                os.close(inner)
            if counted["entries"] > entry_limit:
                return

    try:
        root = os.open(folder, _OPEN_FOLDER)
    except OSError:
        return 0, 0
    try:
        walk(root, 0)
    except OSError:
        pass
    finally:
        os.close(root)
    return counted["bytes"], counted["entries"]

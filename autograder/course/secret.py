"""The course secret: it decides the data the instructor grades with, so no student can rebuild it.

The datasets are scikit-learn's bundled sets and seeded generators, and each case's seed is public. With
the secret, the instructor's grading commands split (and generate) every dataset by a seed derived from
it (``datasets.keyed``), so the test split a grade measures on cannot be rebuilt by a student's code.

The secret comes from ``TFGRADE_SECRET`` (any non-empty string) or else from the file
``<course>/.tfgrade/secret``, which ``tfgrade grade`` creates on first use. Only the *data key* derived
from it (``data_key``) is ever handed to another process (the trusted measuring child); a run child,
which runs a student's code, never receives either, and its confinement hides ``.tfgrade/``.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from autograder.course.paths import Course
from autograder.errors import UsageError

ENV = "TFGRADE_SECRET"
LABEL = b"tfgrade data key v1"
MAX_BYTES = 4096  # a secret file is 65 bytes; anything far larger is not one
SECRET_BYTES = 32


def from_environment() -> str | None:
    return os.environ.get(ENV) or None


def read(path: Path) -> str | None:
    """The secret kept in ``path``, or None when there is no such file. Refuses a link (never followed),
    anything but a regular file, an empty file and one over ``MAX_BYTES``."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{path} is a symbolic link: the course secret must be a file of its own") from None
        raise UsageError(f"cannot read the course secret {path}: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise UsageError(f"{path} is not a regular file: the course secret must be one")
        data = b""
        while len(data) <= MAX_BYTES:
            chunk = os.read(handle, MAX_BYTES + 1 - len(data))
            if not chunk:
                break
            data += chunk
    finally:
        os.close(handle)
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path} is larger than {MAX_BYTES} bytes: not a course secret")
    text = data.decode("utf-8", errors="replace").strip()
    if not text:
        raise UsageError(f"{path} is empty: delete it to have a new secret made, or restore the course's own")
    return text


def create(path: Path) -> bool:
    """Make a new secret in ``path`` unless one is there: True when this call made it.

    Written whole to a file of its own (created exclusively, mode 0600), then linked into place, which
    fails if ``path`` exists: two processes creating at once both end up reading the same secret, and
    none ever reads a half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}-{os.getpid()}-{secrets.token_hex(8)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(handle, 0o600)  # whatever the umask
        os.write(handle, (secrets.token_hex(SECRET_BYTES) + "\n").encode())
        os.fsync(handle)
    except BaseException:
        os.close(handle)
        temporary.unlink(missing_ok=True)
        raise
    os.close(handle)
    try:
        os.link(temporary, path, follow_symlinks=False)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)


def secret(course: Course | None = None) -> str | None:
    """The course secret: ``TFGRADE_SECRET``, else the course's secret file; None when neither exists."""
    return from_environment() or read((course or Course.locate()).secret_file)


def derive_key(value: str) -> str:
    """The data key of a secret: all that leaves the process that read the secret."""
    return hmac.new(value.encode(), LABEL, hashlib.sha256).hexdigest()


def data_key(course: Course | None = None, *, create_missing: bool = False) -> tuple[str | None, Path | None]:
    """The course's data key, or None without a secret. With ``create_missing``, a course without one
    gets a secret file first; the path of a file made by this call comes back as the second value."""
    course = course or Course.locate()
    found = secret(course)
    made = None
    if found is None and create_missing:
        try:
            if create(course.secret_file):
                made = course.secret_file
        except OSError as exc:  # a read-only checkout, say: never fall back to the public data silently
            raise UsageError(f"cannot create the course secret {course.secret_file} ({exc.strerror or exc}): "
                             f"copy the course's own there, or set {ENV}") from None
        found = read(course.secret_file)
    return (derive_key(found) if found else None), made


def forget_environment() -> None:
    """Drop ``TFGRADE_SECRET`` from this process once its key is derived: from ``os.environ`` (so no process
    started later inherits it) and from the environment block this process started with, which
    ``/proc/<pid>/environ`` shows to every process of the same user, confined children included."""
    if os.environ.pop(ENV, None) is not None:
        _blank_initial_environment(ENV)


def _blank_initial_environment(name: str) -> bool:
    """Overwrite ``name``'s value with zero bytes where the kernel shows this process' initial environment
    (the stack block ``/proc/self/stat`` places). Only after checking that the block reads exactly as
    ``/proc/self/environ`` does; True when done. Linux only; elsewhere (or on any doubt) nothing happens."""
    import ctypes

    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end: fields 50 and 51 of stat(5)
        shown = Path("/proc/self/environ").read_bytes()
    except (OSError, ValueError, IndexError):
        return False
    if end - start != len(shown) or ctypes.string_at(start, len(shown)) != shown:
        return False
    prefix, offset = name.encode() + b"=", 0
    blanked = False
    for entry in shown.split(b"\0"):
        if entry.startswith(prefix) and len(entry) > len(prefix):
            ctypes.memset(start + offset + len(prefix), 0, len(entry) - len(prefix))
            blanked = True
        offset += len(entry) + 1
    return blanked


def created_note(path: Path) -> str:
    return (f"created the course secret {path}: it decides the data grades are measured on. Keep it with the "
            f"course and copy it to every machine that grades (or set {ENV} there)")

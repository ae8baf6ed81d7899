"""Finding students' submissions in what an instructor points at, and opening them safely.

A submission is a folder shaped like ``assignments/`` or a ``.zip`` of one. A folder that holds
exercise files is one submission; any other folder is a batch whose entries (subfolders and zips)
are one student each. Zips are extracted with limits: no absolute paths, no ``..``, no links, a
cap on size and file count, so a hostile archive cannot write outside its temporary folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

EXERCISE_FILE = re.compile(r"ex\d\d_[a-z0-9_]+\.py")
MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ZIP_FILES = 2_000


class BadSubmission(Exception):
    """A submission that cannot be opened at all (a corrupt or hostile archive)."""


@dataclass(frozen=True)
class Submission:
    name: str
    path: Path

    def fingerprint(self) -> str:
        """A hash of the exercise files' contents: the same work gets the same fingerprint."""
        digest = hashlib.sha256()
        try:
            with self.folder() as folder:
                for file in sorted(folder.glob("ex*.py")):
                    if EXERCISE_FILE.fullmatch(file.name) and file.is_file() and not file.is_symlink():
                        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
        except BadSubmission as exc:
            digest.update(f"bad:{exc}".encode())
        return digest.hexdigest()

    @contextmanager
    def folder(self) -> Iterator[Path]:
        """The submission as a folder of exercise files (a temporary one for a zip)."""
        if self.path.is_dir():
            yield _exercise_root(self.path)
            return
        workdir = Path(tempfile.mkdtemp(prefix="tfgrade-zip-"))
        try:
            _extract(self.path, workdir)
            yield _exercise_root(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def discover(path: Path) -> list[Submission]:
    """One submission, or every student's in a batch folder, sorted by name."""
    path = path.resolve()
    if path.suffix == ".zip" or _holds_exercises(path):
        return [Submission(path.stem if path.suffix == ".zip" else path.name, path)]
    entries = [entry for entry in sorted(path.iterdir())
               if not entry.name.startswith(".") and not entry.is_symlink()
               and (entry.is_dir() or entry.suffix == ".zip")]
    names = [entry.stem if entry.suffix == ".zip" else entry.name for entry in entries]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise BadSubmission(f"two entries name the same student: {sorted(duplicates)}")
    return [Submission(name, entry) for name, entry in zip(names, entries)]


def _holds_exercises(folder: Path) -> bool:
    return folder.is_dir() and any(EXERCISE_FILE.fullmatch(p.name) for p in folder.iterdir())


def _exercise_root(folder: Path) -> Path:
    """Archives often wrap the files in one folder: use the shallowest folder holding exercise files."""
    if _holds_exercises(folder):
        return folder
    for candidate in sorted(folder.rglob("*"), key=lambda p: len(p.parts)):
        if candidate.is_dir() and _holds_exercises(candidate):
            return candidate
    return folder


def _extract(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > MAX_ZIP_FILES:
                raise BadSubmission(f"{archive.name} holds more than {MAX_ZIP_FILES} files")
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise BadSubmission(f"{archive.name} unpacks to more than {MAX_ZIP_BYTES // 2**20} MB")
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise BadSubmission(f"{archive.name} holds an unsafe path: {member.filename}")
                if member.external_attr >> 16 & 0o170000 == 0o120000:
                    continue  # a symbolic link: never followed, never created
                zipped.extract(member, target)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadSubmission(f"{archive.name} cannot be opened: {exc}") from None

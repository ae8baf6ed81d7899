"""Finding students' submissions in what an instructor points at, and opening them safely.

A submission is a folder shaped like ``assignments/`` or a ``.zip`` of one. A folder that holds
exercise files is one submission; any other folder is a batch whose entries (subfolders and zips)
are one student each. Zips are extracted with limits: no absolute paths, no ``..``, no links, a
cap on size and file count, so a hostile archive cannot write outside its temporary folder.
Notebooks (``ex02_dense.ipynb``, as nbgrader collects them) count as exercise files: they are
graded as the ``.py`` files ``autograder.notebooks`` converts them to.
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

from autograder.errors import BadSubmission
from autograder.grading import notebook_source

EXERCISE_FILE = re.compile(r"ex\d\d_[a-z0-9_]+\.py")
MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ZIP_FILES = 2_000
MAX_SEARCH_DEPTH = 4  # folders wrapping the exercise files, as archives and downloads do
MAX_SEARCH_FOLDERS = 1_000  # per level



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
        """The submission as a folder of exercise files (a temporary one for a zip or notebooks)."""
        if self.path.is_dir():
            with _as_sources(_exercise_root(self.path)) as folder:
                yield folder
            return
        workdir = Path(tempfile.mkdtemp(prefix="tfgrade-zip-"))
        try:
            _extract(self.path, workdir)
            with _as_sources(_exercise_root(workdir)) as folder:
                yield folder
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
    return folder.is_dir() and any(EXERCISE_FILE.fullmatch(p.name) or notebook_source.NOTEBOOK_FILE.fullmatch(p.name)
                                   for p in folder.iterdir())


@contextmanager
def _as_sources(root: Path) -> Iterator[Path]:
    """A folder of notebooks as the exercise files they convert to; any other folder as it is."""
    if any(EXERCISE_FILE.fullmatch(p.name) for p in root.iterdir()) or not notebook_source.holds_notebooks(root):
        yield root
        return
    workdir = Path(tempfile.mkdtemp(prefix="tfgrade-notebooks-"))
    try:
        notebook_source.convert_folder(root, workdir)
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _exercise_root(folder: Path) -> Path:
    """Archives often wrap the files in one folder: use the shallowest folder holding exercise files,
    searched level by level and only a few levels deep, since a hostile tree may be endless."""
    level = [folder]
    for _ in range(MAX_SEARCH_DEPTH + 1):
        for candidate in level:
            if _holds_exercises(candidate):
                return candidate
        level = sorted(child for parent in level for child in _subfolders(parent))[:MAX_SEARCH_FOLDERS]
    return folder


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [child for child in folder.iterdir() if child.is_dir() and not child.is_symlink()]
    except OSError:
        return []


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

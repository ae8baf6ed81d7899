"""Finding students' submissions in what an instructor points at, and opening them safely.

A submission is a folder shaped like ``assignments/`` or an archive of one: a ``.zip``, ``.tar``,
``.tar.gz`` or ``.tgz`` (any case). A folder that holds exercise files is one submission; any other
folder is a batch whose entries (subfolders and archives) are one student each. An archive of another
type (``.rar``, ``.7z``, ...) is still a student, whose grading reports the unsupported type; any other
file in a batch folder is listed as ignored, and hidden entries are skipped. Archives are extracted
with limits: no absolute paths, no ``..``, no links, a cap on size and file count, so a hostile archive
cannot write outside its temporary folder.
Notebooks (``ex02_dense.ipynb``, as nbgrader collects them) count as exercise files: they are
graded as the ``.py`` files ``autograder.notebooks`` converts them to. A batch of notebooks is an
assignment's, graded on that assignment's exercises only (``Found.exercises``): the notebooks of its
source or release folder when the batch sits in an nbgrader course, else every notebook any student
submitted; a student who deleted one still scores zero for it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import tarfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from autograder.errors import BadSubmission
from autograder.grading import notebook_source
from autograder.sandbox import scratch

EXERCISE_FILE = re.compile(r"ex\d\d_[a-z0-9_]+\.py")
MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ZIP_FILES = 2_000
MAX_SEARCH_DEPTH = 4  # folders wrapping the exercise files, as archives and downloads do
MAX_SEARCH_FOLDERS = 1_000  # per level
# What a tar stream may hold beyond its files' contents (headers, long names, padding): a pax header
# declaring gigabytes would otherwise be read into memory before any member is seen.
MAX_TAR_STREAM_BYTES = MAX_ZIP_BYTES + 16 * 1024 * 1024
ARCHIVES = {".zip": "zip", ".tar": "tar", ".tar.gz": "tar", ".tgz": "tar"}  # lower case
# Recognised as archives (so a student who sent one is told, not dropped) but not opened.
UNSUPPORTED_ARCHIVES = (".7z", ".rar", ".zipx", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
                        ".tar.lz", ".tar.lzma", ".tar.z", ".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".z", ".cab",
                        ".arj", ".lzh", ".lha", ".ace", ".sit", ".sitx", ".jar", ".iso", ".dmg", ".cpio", ".xar",
                        ".s7z", ".wim")
UNSUPPORTED = "unsupported archive type; submit a folder, a .zip or a .tar.gz"


@dataclass(frozen=True)
class Submission:
    name: str
    path: Path

    def fingerprint(self) -> str:
        """A hash of the Python files' contents (exercise files and the helpers they may import): the same
        work gets the same fingerprint."""
        digest = hashlib.sha256()
        try:
            with self.folder() as folder:
                for file in sorted(python_files(folder)):
                    if file.is_file() and not file.is_symlink():
                        digest.update(str(file.relative_to(folder)).encode() + b"\0" + file.read_bytes() + b"\0")
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
        kind = archive_type(self.path.name)
        if kind not in ("zip", "tar"):
            raise BadSubmission(f"{self.path.name}: {UNSUPPORTED}" if kind else
                                f"{self.path.name} is neither a folder nor an archive")
        workdir = Path(scratch.mkdtemp(prefix="tfgrade-zip-"))
        try:
            (_extract if kind == "zip" else _extract_tar)(self.path, workdir)
            with _as_sources(_exercise_root(workdir)) as folder:
                yield folder
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


@dataclass(frozen=True)
class Found:
    submissions: list[Submission]
    ignored: list[Path]  # files in a batch folder that are neither folders nor archives

    def exercises(self) -> list[str] | None:
        """The ids of the exercises to grade these submissions on when none are named: see
        ``assignment_exercises``."""
        return assignment_exercises(self.submissions)


def assignment_exercises(submissions: list[Submission]) -> list[str] | None:
    """The exercises of a batch of notebook submissions, as ids (``["ex02", "ex06"]``): an nbgrader
    assignment holds a few exercises, and grading the others would report each of them as an error for
    every student. They are the notebooks of the assignment's ``source/<assignment>/`` or
    ``release/<assignment>/`` folder when the notebooks sit in an nbgrader course
    (``<course>/submitted/<student>/<assignment>/``), else every notebook any student submitted, so a
    student who deleted a notebook is still graded on it. None (every exercise) when any submission
    holds ``.py`` exercise files or is an archive, whose content is only known once it is extracted."""
    from autograder import exercises as registry

    roots = []
    for submission in submissions:
        if not submission.path.is_dir():
            return None
        try:
            root = _exercise_root(submission.path)
            if any(EXERCISE_FILE.fullmatch(p.name) for p in root.iterdir()):
                return None
            if notebook_source.holds_notebooks(root):
                roots.append(root)
        except OSError:  # an unreadable folder: its grading says so
            continue
    folders = set()
    for root in roots:  # the same assignment folder for the whole batch, in an nbgrader course
        course = root.parents[2] if len(root.parents) > 2 else None
        released = [course / kind / root.name for kind in ("source", "release")] if course else []
        folders.add(next((folder for folder in released if notebook_source.holds_notebooks(folder)), root))
    names = {p.name[:-len(".ipynb")] for folder in sorted(folders) for p in folder.iterdir()
             if notebook_source.NOTEBOOK_FILE.fullmatch(p.name)}
    chosen = [exercise.id for exercise in registry.all_exercises() if exercise.module_name in names]
    return chosen or None


def discover(path: Path) -> list[Submission]:
    """One submission, or every student's in a batch folder, sorted by name."""
    return find(path).submissions


def find(path: Path) -> Found:
    """``discover``, and the files a batch folder holds that are no student's (a README, notes)."""
    path = path.resolve()
    if path.is_file():
        if archive_type(path.name) is None:
            raise BadSubmission(f"{path.name} is neither a folder of exercise files nor an archive of one")
        return Found([one(path)], [])
    if _holds_exercises(path):
        return Found([one(path)], [])
    entries, ignored = [], []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_symlink() and (entry.is_dir() or entry.is_file() and archive_type(entry.name)):
            entries.append(entry)
        else:  # a symbolic link is never followed: it could point anywhere
            ignored.append(entry)
    names = [student_name(entry) for entry in entries]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise BadSubmission(f"two entries name the same student: {sorted(duplicates)}")
    return Found([Submission(name, entry) for name, entry in zip(names, entries)], ignored)


def one(path: Path) -> Submission:
    """``path`` as one student's submission, wherever its exercise files are."""
    path = path.resolve()
    return Submission(student_name(path), path)


def archive_type(filename: str) -> str | None:
    """"zip", "tar", "unsupported" for another kind of archive, None for a file that is no archive."""
    lower = filename.lower()
    for suffix in sorted(ARCHIVES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return ARCHIVES[suffix]
    if any(lower.endswith(suffix) and len(lower) > len(suffix) for suffix in UNSUPPORTED_ARCHIVES):
        return "unsupported"
    return None


def student_name(path: Path) -> str:
    """The student a folder or archive belongs to: its name without the archive's suffix."""
    if path.is_dir():
        return path.name
    lower = path.name.lower()
    suffixes = [s for s in (*ARCHIVES, *UNSUPPORTED_ARCHIVES) if lower.endswith(s) and len(lower) > len(s)]
    return path.name[:-max(map(len, suffixes))] if suffixes else path.name


def _holds_exercises(folder: Path) -> bool:
    return folder.is_dir() and any(EXERCISE_FILE.fullmatch(p.name) or notebook_source.NOTEBOOK_FILE.fullmatch(p.name)
                                   for p in folder.iterdir())


@contextmanager
def _as_sources(root: Path) -> Iterator[Path]:
    """A folder of notebooks as the exercise files they convert to; any other folder as it is."""
    if any(EXERCISE_FILE.fullmatch(p.name) for p in root.iterdir()) or not notebook_source.holds_notebooks(root):
        yield root
        return
    workdir = Path(scratch.mkdtemp(prefix="tfgrade-notebooks-"))
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


def _extract_tar(archive: Path, target: Path) -> None:
    """A ``.tar`` or gzipped tar, read as a stream under the zip's limits: regular files and folders
    only (links, devices and fifos are never created), no absolute path, no ``..``."""
    try:
        with archive.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream = _Bounded(gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw, archive.name)
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                size = 0
                for count, member in enumerate(tar, 1):
                    if count > MAX_ZIP_FILES:
                        raise BadSubmission(f"{archive.name} holds more than {MAX_ZIP_FILES} files")
                    size += max(0, member.size) if member.isreg() else 0
                    if size > MAX_ZIP_BYTES:
                        raise BadSubmission(f"{archive.name} unpacks to more than {MAX_ZIP_BYTES // 2**20} MB")
                    name = PurePosixPath(member.name)
                    if name.is_absolute() or ".." in name.parts:
                        raise BadSubmission(f"{archive.name} holds an unsafe path: {member.name}")
                    if member.isreg() or member.isdir():
                        tar.extract(member, target, set_attrs=False, **_DATA_FILTER)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BadSubmission(f"{archive.name} cannot be opened: {exc}") from None


# Python 3.11.4+ (and 3.10.12+) check every member again as it is written; the checks above stand alone.
_DATA_FILTER = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


class _Bounded:
    """A read-only stream that refuses to yield more than ``MAX_TAR_STREAM_BYTES``."""

    def __init__(self, stream, name: str) -> None:
        self.stream, self.name, self.left = stream, name, MAX_TAR_STREAM_BYTES

    def read(self, size: int = -1) -> bytes:
        wanted = self.left + 1 if size is None or size < 0 else min(size, self.left + 1)
        data = self.stream.read(wanted)
        self.left -= len(data)
        if self.left < 0:
            raise BadSubmission(f"{self.name} unpacks to more than {MAX_TAR_STREAM_BYTES // 2**20} MB")
        return data


MAX_HELPERS = 200  # Python files of a submission that key its fingerprints; more are ignored


def python_files(folder: Path, depth: int = 3) -> list[Path]:
    """Python files at most ``depth`` folders down, ``MAX_HELPERS`` at most: a submission may hold a tree
    of any depth or size, and helpers an exercise imports sit beside it or in a package next to it."""
    found: list[Path] = []
    for root, folders, names in os.walk(folder):
        if len(Path(root).relative_to(folder).parts) >= depth:
            folders.clear()
        found += [Path(root) / name for name in names if name.endswith(".py")]
        if len(found) >= MAX_HELPERS:
            break
    return found[:MAX_HELPERS]

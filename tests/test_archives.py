"""Archives in a batch: zips in any case, tars (plain or gzipped) under the zip's limits, other archive
types reported as the student's error, stray files named in the batch's summary."""

from __future__ import annotations

import csv
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder.commands import grade as grade_command
from autograder.errors import BadSubmission
from autograder.grading import batch as batch_module
from autograder.grading import submissions
from autograder.grading.submissions import Submission, discover, find
from autograder.results import CheckResult, ExerciseResult, GradingResult

EXERCISE = registry.get("ex02")
UNSUPPORTED = "unsupported archive type; submit a folder, a .zip or a .tar.gz"


def tarred(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def special(path: Path, *infos: tarfile.TarInfo, mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as archive:
        archive.addfile(tarfile.TarInfo("work/ex02_dense.py"), io.BytesIO(b""))
        for info in infos:
            archive.addfile(info, io.BytesIO(b"x" * info.size) if info.isreg() else None)
    return path


def opened(path: Path) -> dict[str, str]:
    with Submission("s", path).folder() as folder:
        return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def a_batch(root: Path) -> Path:
    batch = root / "batch"
    (batch / "ada").mkdir(parents=True)
    (batch / "ada" / EXERCISE.filename).write_text("ada")
    with zipfile.ZipFile(batch / "ben.ZIP", "w") as archive:
        archive.writestr(f"ben/{EXERCISE.filename}", "ben")
    tarred(batch / "cy.tar.gz", {f"cy/{EXERCISE.filename}": b"cy"})
    tarred(batch / "dee.TGZ", {EXERCISE.filename: b"dee"})
    tarred(batch / "eve.tar", {f"eve/{EXERCISE.filename}": b"eve"}, mode="w")
    (batch / "fay.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (batch / "gus.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    (batch / "hal.tar.bz2").write_bytes(b"BZh9")
    (batch / "README.txt").write_text("the batch as the LMS exported it")
    (batch / ".DS_Store").write_text("")
    return batch


def test_every_archive_is_a_student_and_stray_files_are_listed(tmp_path):
    batch = a_batch(tmp_path)
    found = find(batch)
    assert [s.name for s in found.submissions] == ["ada", "ben", "cy", "dee", "eve", "fay", "gus", "hal"]
    assert [p.name for p in found.ignored] == ["README.txt"]
    assert discover(batch) == found.submissions
    for submission in found.submissions[:5]:
        with submission.folder() as folder:
            assert (folder / EXERCISE.filename).read_text() == submission.name


@pytest.mark.parametrize("filename", ["fay.rar", "gus.7z", "hal.tar.bz2"])
def test_an_unsupported_archive_is_the_student_s_error(tmp_path, filename):
    submission = next(s for s in discover(a_batch(tmp_path)) if s.path.name == filename)
    with pytest.raises(BadSubmission) as error:
        with submission.folder():
            pass
    assert str(error.value) == f"{filename}: {UNSUPPORTED}"


def test_one_archive_named_on_the_command_line_is_one_student(tmp_path):
    archive = tarred(tmp_path / "ada.tar.gz", {f"ada/{EXERCISE.filename}": b"x"})
    assert discover(archive) == [Submission("ada", archive.resolve())]
    (tmp_path / "bob.RAR").write_bytes(b"Rar!")
    assert discover(tmp_path / "bob.RAR") == [Submission("bob", (tmp_path / "bob.RAR").resolve())]
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(BadSubmission, match="neither a folder of exercise files nor an archive"):
        discover(tmp_path / "notes.txt")


# --------------------------------------------------------------------------------- tar safety


@pytest.mark.parametrize("member", ["../evil.py", "/abs/evil.py", "work/../../evil.py"])
def test_a_tar_cannot_write_outside_its_folder(tmp_path, member):
    archive = tarred(tmp_path / "in" / "mallory.tar.gz", {member: b"x = 1"})
    with pytest.raises(BadSubmission, match="unsafe path"):
        opened(archive)
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "in" / "evil.py").exists()


def test_a_tar_never_creates_links_devices_or_fifos(tmp_path):
    (tmp_path / "secret.py").write_text("the reference")
    symlink = tarfile.TarInfo("work/ex01_sequential.py")
    symlink.type, symlink.linkname = tarfile.SYMTYPE, str(tmp_path / "secret.py")
    relative = tarfile.TarInfo("work/up")
    relative.type, relative.linkname = tarfile.SYMTYPE, "../../.."
    hardlink = tarfile.TarInfo("work/ex03_activation.py")
    hardlink.type, hardlink.linkname = tarfile.LNKTYPE, "work/ex02_dense.py"
    fifo = tarfile.TarInfo("work/fifo")
    fifo.type = tarfile.FIFOTYPE
    device = tarfile.TarInfo("work/null")
    device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 1, 3
    archive = special(tmp_path / "mallory.tar.gz", symlink, relative, hardlink, fifo, device)
    with Submission("mallory", archive).folder() as folder:
        assert sorted(p.name for p in folder.iterdir()) == ["ex02_dense.py"]
        assert not any(p.is_symlink() for p in folder.parent.rglob("*"))


def test_a_tar_with_too_many_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "MAX_ZIP_FILES", 5)
    archive = tarred(tmp_path / "many.tgz", {f"work/f{i}.py": b"" for i in range(6)})
    with pytest.raises(BadSubmission, match="more than 5 files"):
        opened(archive)


def test_a_tar_too_large_unpacked_is_refused_before_it_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "MAX_ZIP_BYTES", 1024 * 1024)
    archive = tarred(tmp_path / "big.tar.gz", {"work/ex02_dense.py": b"x", "work/big.bin": b"\0" * (2 * 1024 * 1024)})
    with pytest.raises(BadSubmission, match="unpacks to more than 1 MB"):
        opened(archive)


def test_a_tar_header_bomb_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    """A pax header is read into memory whole: a header of gigabytes would be, before any member."""
    monkeypatch.setattr(submissions, "MAX_TAR_STREAM_BYTES", 256 * 1024)
    info = tarfile.TarInfo("work/ex02_dense.py")
    info.pax_headers = {"comment": "x" * (1024 * 1024)}
    with tarfile.open(tmp_path / "bomb.tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as archive:
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(BadSubmission, match="unpacks to more than"):
        opened(tmp_path / "bomb.tar.gz")


@pytest.mark.parametrize("content", [b"not a tar at all" * 100, b"\x1f\x8b\x08\x00garbage", b""])
def test_a_corrupt_tar_is_a_clear_error(tmp_path, content):
    (tmp_path / "broken.tar.gz").write_bytes(content)
    with pytest.raises(BadSubmission, match="broken.tar.gz cannot be opened"):
        opened(tmp_path / "broken.tar.gz")


def test_a_truncated_tar_gz_is_a_clear_error(tmp_path):
    archive = tarred(tmp_path / "cut.tar.gz", {"work/ex02_dense.py": os.urandom(200_000)})
    archive.write_bytes(archive.read_bytes()[:50_000])
    with pytest.raises(BadSubmission, match="cut.tar.gz cannot be opened"):
        opened(archive)


def test_the_zip_limits_still_hold_for_an_upper_case_zip(tmp_path):
    with zipfile.ZipFile(tmp_path / "mallory.ZIP", "w") as archive:
        archive.writestr("../evil.py", "x = 1")
    with pytest.raises(BadSubmission, match="unsafe path"):
        opened(tmp_path / "mallory.ZIP")


# ------------------------------------------------------------------------ the batch and its summary


class StandInReference:
    course = COURSE

    def observations(self, exercise, cases):
        return {}

    def version(self, exercises):
        return "stand-in"

    def cache_file(self, exercise):
        return Path(f"{exercise.module_name}-stand-in.json")


def stand_in_grade(folder: Path, exercises, visibilities, reference):
    results = [ExerciseResult(e.id, e.title, "graded",
                              [CheckResult(e.id, "default.layer_types", "layer_types", "default", "layer types",
                                           1.0, 1.0, True, "ok")], details={"default": {}})
               for e in exercises]
    return GradingResult(folder.name, results, "all")


def test_unsupported_archives_are_in_the_gradebook_as_errors(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_module, "grade_submission", stand_in_grade)
    out = tmp_path / "out"
    outcome = batch_module.grade_batch(discover(a_batch(tmp_path)), [EXERCISE], out, StandInReference())
    rows = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open(newline=""))}
    assert sorted(rows) == ["ada", "ben", "cy", "dee", "eve", "fay", "gus", "hal"]
    assert {name for name, row in rows.items() if row["status"] == "graded"} == {"ada", "ben", "cy", "dee", "eve"}
    assert rows["fay"]["status"] == f"error: fay.rar: {UNSUPPORTED}"
    assert rows["hal"]["status"] == f"error: hal.tar.bz2: {UNSUPPORTED}" and rows["hal"]["total"] == "0"
    fay = next(r for r in outcome.results if r.submission == "fay")
    assert all(c.message == f"fay.rar: {UNSUPPORTED}" for e in fay.exercises for c in e.checks)


@pytest.fixture
def grade_in_process(monkeypatch):
    """``tfgrade grade`` with the stand-in grader and no forkserver."""
    monkeypatch.setattr(batch_module, "grade_submission", stand_in_grade)
    monkeypatch.setattr(grade_command, "instructor_reference", lambda command: StandInReference())
    monkeypatch.setattr(grade_command.sandbox, "warm_up", lambda: None)
    monkeypatch.setattr(grade_command.confine, "hide", lambda path: None)

    def grade(batch: Path, out: Path, json: bool = False) -> int:
        return grade_command.main(submission=batch, out=out, exercises=["2"], workers=1, json=json)
    return grade


def test_the_summary_names_stray_files_once_and_each_archive_it_could_not_open(tmp_path, grade_in_process, capsys):
    batch = a_batch(tmp_path)
    (batch / "notes.md").write_text("")
    assert grade_in_process(batch, tmp_path / "out") == 0
    printed = capsys.readouterr().out
    assert printed.count("ignored 2 entries") == 1 and "README.txt, notes.md" in printed
    assert f"fay: not graded: fay.rar: {UNSUPPORTED}" in printed
    assert f"gus: not graded: gus.7z: {UNSUPPORTED}" in printed
    assert "ada: not graded" not in printed


def test_with_json_stray_files_are_named_on_stderr(tmp_path, grade_in_process, capsys):
    assert grade_in_process(a_batch(tmp_path), tmp_path / "out", json=True) == 0
    printed = capsys.readouterr()
    assert "README.txt" not in printed.out and "ignored 1 entry" in printed.err and "README.txt" in printed.err

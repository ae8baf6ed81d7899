"""Finding and opening submissions: folders, zips, batches, hostile archives."""

import zipfile

import pytest

from autograder.errors import BadSubmission
from autograder.grading.submissions import Submission, discover


def make(folder, files):
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_a_folder_with_exercise_files_is_one_submission(tmp_path):
    make(tmp_path / "alice", {"ex01_sequential.py": "x = 1"})
    assert discover(tmp_path / "alice") == [Submission("alice", (tmp_path / "alice").resolve())]


def test_a_folder_of_folders_and_zips_is_a_batch(tmp_path):
    make(tmp_path / "batch" / "bob", {"ex01_sequential.py": "x = 1"})
    with zipfile.ZipFile(tmp_path / "batch" / "carol.zip", "w") as z:
        z.writestr("carol/ex01_sequential.py", "x = 2")
    (tmp_path / "batch" / "notes.txt").write_text("ignored")
    found = discover(tmp_path / "batch")
    assert [s.name for s in found] == ["bob", "carol"]
    with found[1].folder() as folder:
        assert (folder / "ex01_sequential.py").read_text() == "x = 2"


def test_fingerprint_follows_content_not_paths(tmp_path):
    a = make(tmp_path / "a", {"ex01_sequential.py": "x = 1", "notes.md": "anything"})
    b = make(tmp_path / "b", {"ex01_sequential.py": "x = 1"})
    c = make(tmp_path / "c", {"ex01_sequential.py": "x = 2"})
    assert Submission("a", a).fingerprint() == Submission("b", b).fingerprint() != Submission("c", c).fingerprint()


@pytest.mark.parametrize("member", ["../evil.py", "/abs/evil.py"])
def test_archives_cannot_write_outside_their_folder(tmp_path, member):
    archive = tmp_path / "mallory.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(member, "x = 1")
    with pytest.raises(BadSubmission, match="unsafe path"):
        with Submission("mallory", archive).folder():
            pass
    assert not (tmp_path / "evil.py").exists()


def test_a_corrupt_archive_is_a_clear_error(tmp_path):
    (tmp_path / "broken.zip").write_text("not a zip")
    with pytest.raises(BadSubmission, match="cannot be opened"):
        with Submission("broken", tmp_path / "broken.zip").folder():
            pass

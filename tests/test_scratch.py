"""Temporary folders: a killed grader's are removed at the next start, a live one's never are."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

import autograder
from autograder.grading.submissions import Submission
from autograder.sandbox import scratch

HOLDER = """
import sys, time
from autograder.sandbox import scratch
folder = scratch.mkdtemp(prefix="tfgrade-test-")
open(folder + "/work.txt", "w").write("in use")
print(folder, flush=True)
if sys.argv[1] == "wait":
    time.sleep(600)
"""


@pytest.fixture
def tmp(tmp_path, monkeypatch):
    """A temporary folder of the test's own, for this process and the ones it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(scratch, "_mine", {})  # this test process's own folder is made afresh in there
    yield folder
    scratch._forget()  # its lock


def start(what: str) -> tuple[subprocess.Popen, Path]:
    process = subprocess.Popen([sys.executable, "-c", HOLDER, what], stdout=subprocess.PIPE, text=True)
    return process, Path(process.stdout.readline().strip())


def process_folders(tmp: Path) -> set[Path]:
    return set((tmp / f"tfgrade-{os.getuid()}").glob(f"{scratch.PROCESS_PREFIX}*"))


def test_a_killed_process_s_folders_are_removed_at_the_next_start_and_a_live_one_s_are_kept(tmp):
    killed, killed_folder = start("wait")
    alive, alive_folder = start("wait")
    try:
        assert killed_folder.is_dir() and alive_folder.is_dir()
        assert killed_folder.parent.parent == alive_folder.parent.parent == tmp / f"tfgrade-{os.getuid()}"
        assert (killed_folder.parent / scratch.OWNER).read_text() == f"{killed.pid}\n"
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert killed_folder.is_dir()  # nothing removed it yet

        nxt, next_folder = start("exit")  # the next run: its first temporary folder cleans up first
        nxt.wait()
        assert not killed_folder.exists() and not killed_folder.parent.exists()
        assert alive_folder.is_dir() and (alive_folder / "work.txt").read_text() == "in use"
        assert not next_folder.parent.exists()  # a process that exits normally removes its own
        assert process_folders(tmp) == {alive_folder.parent}
    finally:
        alive.kill()
        alive.wait()
    assert scratch.clean() == [alive_folder.parent] and process_folders(tmp) == set()


def test_the_lock_decides_not_the_pid(tmp):
    """A pid is reused: a folder whose owner file names a live process (this one) but whose lock no
    process holds was left by a dead one."""
    parent = scratch.root()
    stale = parent / f"{scratch.PROCESS_PREFIX}{os.getpid()}-stale"
    (stale / "tfgrade-zip-x").mkdir(parents=True)
    (stale / scratch.OWNER).write_text(f"{os.getpid()}\n")
    os.utime(stale / scratch.OWNER, (time.time() - 3600,) * 2)
    assert scratch.clean() == [stale] and not stale.exists()


def test_a_folder_being_made_is_left_alone_until_it_is_old(tmp):
    parent = scratch.root()
    no_owner, unlocked = parent / f"{scratch.PROCESS_PREFIX}1-new", parent / f"{scratch.PROCESS_PREFIX}2-new"
    no_owner.mkdir()
    unlocked.mkdir()
    (unlocked / scratch.OWNER).write_text("")  # created, not yet locked and written
    assert scratch.clean() == []
    old = time.time() - scratch.GRACE_SECONDS - 1
    os.utime(no_owner, (old, old))
    os.utime(unlocked / scratch.OWNER, (old, old))
    assert sorted(scratch.clean()) == [no_owner, unlocked]


def test_a_dead_process_s_folder_is_removed_whatever_its_children_made_read_only(tmp):
    parent = scratch.root()
    stale = parent / f"{scratch.PROCESS_PREFIX}1-stale"
    locked = stale / "tfgrade-ex02-x" / "case" / "locked"
    locked.mkdir(parents=True)
    (locked / "model.keras").write_text("x")
    (stale / scratch.OWNER).write_text("1\n")
    os.utime(stale / scratch.OWNER, (0, 0))
    locked.chmod(0)
    locked.parent.chmod(0o500)
    assert scratch.clean() == [stale] and not stale.exists()


def test_the_user_s_folder_is_private_and_someone_else_s_is_not_used(tmp):
    parent = scratch.root()
    assert parent.stat().st_mode & 0o777 == 0o700
    parent.chmod(0o755)  # anyone could enter it: refused, temporary folders go where tempfile puts them
    folder = Path(scratch.mkdtemp(prefix="tfgrade-x-"))
    assert folder.parent == tmp and folder.stat().st_mode & 0o777 == 0o700
    os.rmdir(folder)


def test_a_temporary_directory_is_removed_after_use(tmp):
    with scratch.temporary_directory(prefix="tfgrade-nb-") as folder:
        (Path(folder) / "ex02_dense.py").write_text("x")
        assert Path(folder).parent.parent == scratch.root()
    assert not Path(folder).exists()


def test_an_extracted_zip_lives_in_the_process_folder(tmp):
    with zipfile.ZipFile(tmp / "ada.zip", "w") as archive:
        archive.writestr("ada/ex02_dense.py", "x = 1")
    with Submission("ada", tmp / "ada.zip").folder() as folder:
        assert scratch.root() in folder.parents
        assert (folder.parents[len(folder.parents) - len(scratch.root().parents) - 2] / scratch.OWNER).is_file()


def test_every_temporary_folder_of_the_kit_comes_from_scratch():
    """A folder made by tempfile directly would be left behind by a killed run. (Files made beside
    their destination to be renamed onto it, as datasets.py does, are no temporary folder.)"""
    package = Path(autograder.__file__).parent
    direct = [f"{path.relative_to(package)}:{number}" for path in sorted(package.rglob("*.py"))
              if path.name != "scratch.py"
              for number, line in enumerate(path.read_text().splitlines(), 1)
              if re.search(r"\b(mkdtemp|TemporaryDirectory)\(", line)
              and "scratch." not in line]
    assert direct == []

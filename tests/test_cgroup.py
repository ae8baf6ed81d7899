"""A memory cgroup per confined child: what it counts, how its end reads, and what is left of it."""

import os
from pathlib import Path

import pytest

from autograder import sandbox
from autograder.sandbox import cgroup, confine

pytestmark = pytest.mark.skipif(not cgroup.available(), reason="this host gives the grader no memory cgroup")

MiB = sandbox.MiB
CONFINED = confine.Confinement()


def leaves() -> list[str]:
    hierarchy = cgroup._hierarchy()
    return sorted(entry.name for entry in hierarchy.folder.iterdir() if entry.name.startswith(f"tfgrade-{os.getpid()}-"))


def test_a_confined_child_runs_in_a_leaf_of_its_own_which_is_removed_when_it_ends(tmp_path):
    before = leaves()
    outcome = sandbox.run_isolated("sandbox_targets:fill_memory", {"megabytes": 64}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=60), confinement=CONFINED)
    assert outcome.ok, outcome
    size, groups = (tmp_path / "filled.txt").read_text().split("\n", 1)
    assert int(size) == 64 * MiB
    controllers = {line.split(":")[1] for line in groups.splitlines() if f"/tfgrade-{os.getpid()}-" in line}
    assert controllers == ({""} if cgroup._hierarchy().version == 2 else {"memory"})
    assert leaves() == before


def test_memory_past_the_group_limit_stops_the_child_even_within_its_data_limit(tmp_path):
    limits = sandbox.Limits(wall_seconds=60, group_memory_bytes=400 * MiB)  # RLIMIT_DATA stays 4 GiB
    outcome = sandbox.run_isolated("sandbox_targets:fill_memory", {"megabytes": 800}, workdir=tmp_path,
                                   limits=limits, confinement=CONFINED)
    assert outcome.status == "memory", outcome
    assert not (tmp_path / "filled.txt").exists()
    assert "caused more than 0.390625 GiB of memory" in outcome.describe()


def test_children_the_grader_trusts_get_no_group(tmp_path):
    limits = sandbox.Limits(wall_seconds=60, group_memory_bytes=400 * MiB)
    outcome = sandbox.run_isolated("sandbox_targets:fill_memory", {"megabytes": 800}, workdir=tmp_path, limits=limits)
    assert outcome.ok, outcome
    assert "tfgrade-" not in (tmp_path / "filled.txt").read_text()


def test_a_child_that_cannot_enter_its_group_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroup.Leaf, "make", classmethod(lambda cls, limit: cls(tmp_path / "no-such-group", 1)))
    outcome = sandbox.run_isolated("sandbox_targets:fill_memory", {"megabytes": 1}, workdir=tmp_path / "run",
                                   limits=sandbox.Limits(wall_seconds=60), confinement=CONFINED)
    assert outcome.status == "crashed" and outcome.exit_code == 70
    assert not (tmp_path / "run" / "filled.txt").exists()


def test_leaves_of_graders_that_are_gone_are_removed_and_no_others():
    folder = cgroup._hierarchy().folder
    gone = os.fork()
    if gone == 0:
        os._exit(0)
    os.waitpid(gone, 0)
    dead, live = folder / f"tfgrade-{gone}-0", folder / f"tfgrade-{os.getpid()}-left"
    dead.mkdir()
    live.mkdir()
    try:
        assert cgroup.clean(folder) == [dead]
        assert not dead.exists() and live.exists()
    finally:
        for leaf in (dead, live):
            cgroup._remove(leaf)


def test_without_a_group_the_protection_is_reported_missing(monkeypatch):
    monkeypatch.setattr(cgroup, "_candidates", lambda: [])
    cgroup._probed.cache_clear()
    try:
        assert cgroup.Leaf.make(MiB) is None
        assert "memory cgroup" in confine.missing()
    finally:
        monkeypatch.undo()
        cgroup._probed.cache_clear()
    assert "memory cgroup" not in confine.missing()


def test_the_grader_finds_its_own_group_in_each_version(monkeypatch, tmp_path):
    """From /proc/self/cgroup and /proc/self/mountinfo as a container with both hierarchies shows them."""
    (tmp_path / "v2" / "grader").mkdir(parents=True)
    (tmp_path / "v2" / "grader" / "cgroup.subtree_control").write_text("cpu memory\n")
    files = {"/proc/self/cgroup": "4:memory:/batch/grader\n0::/grader\n",
             "/proc/self/mountinfo": (f"30 25 0:26 / {tmp_path}/v2 rw - cgroup2 cgroup2 rw\n"
                                      f"31 25 0:27 /batch {tmp_path}/v1\\040memory rw - cgroup cgroup rw,memory\n"
                                      f"32 25 0:28 / {tmp_path}/cpu rw - cgroup cgroup rw,cpu\n")}
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: files.get(str(self)) or real(self, *a, **k))
    assert cgroup._candidates() == [cgroup.Hierarchy(tmp_path / "v2" / "grader", 2),
                                    cgroup.Hierarchy(tmp_path / "v1 memory" / "grader", 1)]
    (tmp_path / "v2" / "grader" / "cgroup.subtree_control").write_text("cpu\n")  # memory not handed down
    assert cgroup._candidates() == [cgroup.Hierarchy(tmp_path / "v1 memory" / "grader", 1)]


def test_threads_that_ask_at_once_all_find_the_group():
    """The warm grader's first children start from several threads: none may find its probe in another's way."""
    from concurrent.futures import ThreadPoolExecutor

    expected = cgroup._hierarchy()
    for _ in range(20):  # unguarded, about one round in twenty found none
        cgroup._probed.cache_clear()
        with ThreadPoolExecutor(max_workers=8) as pool:
            found = list(pool.map(lambda _: cgroup._hierarchy(), range(8)))
        assert found == [expected] * 8

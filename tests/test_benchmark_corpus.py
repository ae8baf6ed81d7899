"""benchmarks/corpus.py, the realistic batch's generator: reproducible, in its proportions, complete, and its wrong
submissions really wrong. No grading and no TensorFlow: it only writes files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import COURSE, load_script

from autograder import exercises as registry

CORPUS = COURSE.root / "benchmarks" / "corpus.py"


def load_corpus():
    return load_script(CORPUS, "benchmark_corpus")


corpus = load_corpus()


def files_of(folder):
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "batch"
    return folder, corpus.build(folder, 20, seed=11)


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_ones(tmp_path, batch):
    folder, _ = batch
    again = corpus.build(tmp_path / "again", 20, seed=11)
    assert files_of(tmp_path / "again") == files_of(folder)
    assert [p.to_dict() for p in again] == [p.to_dict() for p in batch[1]]
    corpus.build(tmp_path / "other", 20, seed=12)
    assert files_of(tmp_path / "other") != files_of(folder)
    # The same exercises named in another order draw the same batch.
    named = [p.to_dict() for p in corpus.plan(6, seed=5, selection=["9", "ex01", "2"])]
    assert named == [p.to_dict() for p in corpus.plan(6, seed=5, selection=["1", "2", "9"])]


def test_kinds_are_dealt_in_the_stated_proportions():
    assert corpus.apportion(20, (50, 20, 30)) == [10, 4, 6]
    assert corpus.apportion(4, (50, 20, 30)) == [2, 1, 1]
    assert corpus.apportion(7, (1, 1, 1)) == [3, 2, 2] and corpus.apportion(0, (50, 20, 30)) == [0, 0, 0]
    planned = corpus.plan(20, seed=3, mix="60,0,40")
    assert [sum(p.kind == kind for p in planned) for kind in corpus.KINDS] == [12, 0, 8]
    with pytest.raises(ValueError):
        corpus.parse_mix("50,50")


def test_every_submission_holds_every_exercise_file(batch):
    folder, planned = batch
    expected = {exercise.filename for exercise in registry.all_exercises()}
    assert expected == {path.name for path in COURSE.assignments.glob("ex*.py")}
    assert sorted(path.name for path in folder.iterdir()) == [p.name for p in planned]
    for submission in planned:
        assert {path.name for path in (folder / submission.name).iterdir()} == expected
    assert [sum(p.kind == kind for p in planned) for kind in corpus.KINDS] == [10, 4, 6]


def test_wrong_submissions_differ_from_the_reference_where_they_say_and_only_there(batch):
    folder, planned = batch
    reference = {e.filename: (COURSE.solutions / e.filename).read_bytes() for e in registry.all_exercises()}
    filename = {e.id: e.filename for e in registry.all_exercises()}
    for submission in planned:
        changed = set(submission.changed)
        if submission.kind == "wrong":
            assert 1 <= len(changed) <= corpus.MAX_MISTAKES
            assert all(what.startswith("wrong: ") for e, what in submission.files.items() if e in changed)
        elif submission.kind == "alternative":
            assert changed and all(submission.files[e].startswith("same: ") for e in changed)
        else:
            assert not changed
        for exercise_id, name in filename.items():
            written = (folder / submission.name / name).read_bytes()
            assert (written != reference[name]) == (exercise_id in changed), (submission.name, exercise_id)
    named = {what.removeprefix("wrong: ") for p in planned for what in p.files.values() if what.startswith("wrong: ")}
    declared = {m.name for e in registry.all_exercises() for m in e.misconceptions}
    assert named and named <= declared


def test_the_command_line_writes_a_manifest_and_imports_no_tensorflow(tmp_path):
    code = (f"import sys; sys.path.insert(0, {str(CORPUS.parent)!r}); import corpus; "
            f"corpus.main([{str(tmp_path / 'out')!r}, '--size', '4', '--exercise', '1', '--exercise', '2', "
            f"'--manifest', {str(tmp_path / 'manifest.json')!r}]); "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TensorFlow imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["kinds"] == {"correct": 2, "alternative": 1, "wrong": 1}
    assert [s["name"] for s in manifest["submissions"]] == sorted(p.name for p in (tmp_path / "out").iterdir())
    assert all(set(s["files"]) == {"ex01", "ex02"} for s in manifest["submissions"])

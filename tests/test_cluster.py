"""Grading on Dask workers (``grading.cluster``): the grades of a local batch, resuming as a local batch
does, and a worker killed in the middle of a student loses no grade."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest
from helpers import solution_text
from test_batch import EXERCISE_FILE, demo_batch
from test_cli import tfgrade

from autograder import exercises as registry
from autograder.course import Course
from autograder.errors import UsageError
from autograder.grading.batch import grade_batch
from autograder.grading.cluster import dask_executor, parse_cluster
from autograder.grading.reference import ComputedReference
from autograder.grading.submissions import find


def comparable(value):
    """A result without what differs from run to run whoever grades: when, and how long it took."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in ("graded_at", "seconds")}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def results(out: Path) -> dict[str, dict]:
    return {p.parent.name: comparable(json.loads(p.read_text())) for p in sorted(out.glob("*/result.json"))}


def test_cluster_takes_local_and_a_worker_count():
    assert parse_cluster("local:3") == 3
    for wrong in ("local", "local:0", "local:x", "slurm:2", "3"):
        with pytest.raises(UsageError, match="local:N"):
            parse_cluster(wrong)


def test_a_local_cluster_grades_and_resumes_as_a_local_batch_does(tmp_path):
    batch = demo_batch(tmp_path)
    local = tfgrade("grade", str(batch), "--out", str(tmp_path / "local"), "--exercise", "2")
    assert local.returncode == 0, local.stderr
    # One student already graded by an interrupted run: the cluster's run keeps that result.
    (tmp_path / "dask").mkdir()
    os.rename(tmp_path / "local" / "ada", tmp_path / "dask" / "ada")
    kept = (tmp_path / "dask" / "ada" / "result.json").read_bytes()
    spread = tfgrade("grade", str(batch), "--out", str(tmp_path / "dask"), "--exercise", "2", "--cluster", "local:2")
    assert spread.returncode == 0, spread.stderr
    assert "1 unchanged since the last run" in spread.stderr + spread.stdout
    assert (tmp_path / "dask" / "ada" / "result.json").read_bytes() == kept
    os.rename(tmp_path / "dask" / "ada", tmp_path / "local" / "ada")
    dask_results, local_results = results(tmp_path / "dask"), results(tmp_path / "local")
    assert len(local_results) == 6 and dask_results.keys() == local_results.keys() - {"ada"}
    assert all(dask_results[name] == local_results[name] for name in dask_results)
    assert (tmp_path / "dask" / "grades.csv").read_text().count("\n") == 1 + 6


def test_a_worker_killed_while_grading_loses_no_grade(tmp_path):
    batch = tmp_path / "batch"
    wrong = solution_text("ex02").replace("return inputs * units + units", "return inputs * units")
    for name, source in {"ada": solution_text("ex02"), "cy": wrong, "di": solution_text("ex02")}.items():
        (batch / name).mkdir(parents=True)
        (batch / name / EXERCISE_FILE).write_text(source)
    submissions = find(batch).submissions
    exercises = registry.select(["2"])
    reference = ComputedReference(Course.locate())
    grade_batch(submissions, exercises, tmp_path / "local", reference, workers=2)

    killed: list[int] = []
    lock = threading.Lock()
    with dask_executor(local_workers=2) as executor:
        pids = executor.client.run(os.getpid)

        def kill_a_worker(student: str) -> None:  # as the first student starts: lose one worker, once
            with lock:
                if not killed:
                    killed.append(next(iter(pids.values())))
                    os.kill(killed[0], signal.SIGKILL)

        executor.client.subscribe_topic("tfgrade-student-started", lambda event: kill_a_worker(event[1]["student"]))
        outcome = grade_batch(submissions, exercises, tmp_path / "dask", reference,
                              remote=lambda context: executor)
        after = executor.client.run(os.getpid)
    assert killed and killed[0] not in after.values(), "no worker was killed"
    assert not outcome.failed and sorted(outcome.graded) == ["ada", "cy", "di"]
    assert results(tmp_path / "dask") == results(tmp_path / "local")
    assert results(tmp_path / "dask")["cy"]["score"] < results(tmp_path / "dask")["ada"]["score"]

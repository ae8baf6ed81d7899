"""benchmarks/: the options, the machine reported, the arithmetic, what the floor clocks and that it grades.
No timings here: a whole benchmark run imports TensorFlow in several processes, far too slow for the suite
(run it by hand)."""

from __future__ import annotations

import json
import sys

from helpers import COURSE, load_script

BENCHMARK = COURSE.root / "benchmarks" / "grading.py"


def load_benchmark():
    return load_script(BENCHMARK, "benchmark_grading")


def test_quick_runs_three_exercises_and_a_small_batch():
    bench = load_benchmark()
    args = bench.parse_args(["--quick", "--skip-nbgrader", "--json", "out.json"])
    assert args.exercises == list(bench.QUICK_EXERCISES) and len(args.exercises) == 3
    assert args.batch_size == bench.QUICK_BATCH and args.check_runs == 1 and args.skip_nbgrader


def test_defaults_are_the_target_figures_and_exercises_repeat():
    bench = load_benchmark()
    args = bench.parse_args(["--exercise", "6", "--exercise", "ex09"])
    assert args.exercises == ["6", "ex09"] and args.batch_size == 20 and args.check_runs == 3
    assert bench.parse_args([]).exercises == []  # every exercise


def test_machine_info_names_what_the_figures_depend_on():
    info = load_benchmark().machine_info()
    assert info["cores"] >= 1 and info["ram_gib"] > 0 and info["python"].count(".") == 2
    assert info["tensorflow"] and info["keras"] and info["cpu"]


def test_breakdown_parts_add_up_to_start_up_plus_grading():
    bench = load_benchmark()
    figures = {
        "forkserver_seconds": 5.0, "child_overhead_seconds": 0.05, "confined_child_overhead_seconds": 0.09,
        "a": {"wall_seconds": 30.0, "exercises": [
            {"exercise": "ex01", "cases": 3, "run_children": 2, "measured": 1, "run_children_seconds": 10.0,
             "measure_seconds": 8.0},
            {"exercise": "ex02", "cases": 7, "run_children": 2, "measured": 1, "run_children_seconds": 6.0,
             "measure_seconds": 4.0}]},
        "d": {"seconds": 20.0, "compute": 12.0, "exercises": [
            {"exercise": "ex01", "run": 6.0, "measure": 6.0}, {"exercise": "ex02", "run": 5.0, "measure": 3.0}]},
    }
    parts = bench.breakdown(figures)
    assert abs(sum(parts.values()) - 35.0) < 1e-9
    assert abs(parts["confining 4 run children (~40 ms each)"] - 0.16) < 1e-9
    assert bench._multiple(30.0, 12.0) == "2.50x" and "n/a" in bench._multiple(30.0, 0.0)


def test_speed_probe_subtracts_the_interpreter_and_compares_with_the_reference_machine(monkeypatch):
    bench = load_benchmark()
    cost = {"pass": 0.5, "import tensorflow": 8.3, "sum(i * i for i in range(10**7))": 1.5}
    clock = [0.0]

    def fake_run(command, **kwargs):
        clock[0] += cost[command[-1]]

    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    monkeypatch.setattr(bench, "time", type("Clock", (), {"monotonic": staticmethod(lambda: clock[0])}))
    speed = bench.speed_probe()
    assert speed["tensorflow_import_seconds"] == 7.8 and speed["python_loop_seconds"] == 1.0
    assert speed["slower_than_reference_machine"] == round(7.8 / bench.REFERENCE_TENSORFLOW_IMPORT_SECONDS, 2)


def test_the_floor_clocks_the_graders_own_predictions(tmp_path):
    # The grader evaluates models by calling them (observations.predictions), not with predict():
    # a floor that clocked Keras' methods alone would leave that evaluation out.
    from autograder import sandbox

    outcome = sandbox.run_isolated("sandbox_targets:write_floor_clock_calls", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=120))
    assert outcome.ok, outcome.describe() + outcome.stderr
    clock = json.loads((tmp_path / "clock.json").read_text())
    assert clock["calls"] == 1 and clock["seconds"] > 0


def test_the_in_process_floor_grades_a_solution_with_data_arguments_to_full_marks(tmp_path):
    # (d) and (c)'s stand-in call the kit's harness directly, as its grading children do; an exercise whose
    # cases take data arrays (ex19) shows the harness gets what the grading process would hand it.
    import subprocess

    out = tmp_path / "floor.json"
    done = subprocess.run([sys.executable, str(COURSE.root / "benchmarks" / "inprocess.py"), "--exercise", "ex19",
                           "--public", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (graded,) = json.loads(out.read_text())["exercises"]
    assert graded["exercise"] == "ex19" and graded["possible"] > 0 and graded["score"] == graded["possible"]

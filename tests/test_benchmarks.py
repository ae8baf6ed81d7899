"""benchmarks/grading.py: its options, the machine it reports and its arithmetic. No timings here: a
benchmark run imports TensorFlow in several processes, far too slow for the suite (run it by hand)."""

from __future__ import annotations

import importlib.util
import sys

from helpers import COURSE

BENCHMARK = COURSE.root / "benchmarks" / "grading.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_grading", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_quick_runs_three_exercises_and_a_small_batch():
    bench = load_benchmark()
    args = bench.parse_args(["--quick", "--skip-nbgrader", "--json", "out.json"])
    assert args.exercises == list(bench.QUICK_EXERCISES) and len(args.exercises) == 3
    assert args.batch_size == bench.QUICK_BATCH and args.check_runs == 1 and args.skip_nbgrader


def test_defaults_are_the_issue_figures_and_exercises_repeat():
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
        "forkserver_seconds": 5.0, "child_overhead_seconds": 0.05,
        "a": {"wall_seconds": 30.0, "exercises": [
            {"exercise": "ex01", "cases": 3, "measured": 1, "run_children_seconds": 10.0, "measure_seconds": 8.0},
            {"exercise": "ex02", "cases": 7, "measured": 1, "run_children_seconds": 6.0, "measure_seconds": 4.0}]},
        "d": {"seconds": 20.0, "compute": 12.0, "exercises": [
            {"exercise": "ex01", "run": 6.0, "measure": 6.0}, {"exercise": "ex02", "run": 5.0, "measure": 3.0}]},
    }
    parts = bench.breakdown(figures)
    assert abs(sum(parts.values()) - 35.0) < 1e-9
    assert bench._multiple(30.0, 12.0) == "2.50x" and "n/a" in bench._multiple(30.0, 0.0)

"""What a broken submission gets back: a clear message for that case, never a crash of the grader;
and how the cases that share a child stay apart.

These run only the cheap ``dense_param_count`` cases of exercise 02 through the real child process,
and one case of exercise 19 whose code records what its child was given.
"""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from autograder import exercises as registry
from autograder.grading import runs
from autograder.grading.runs import run_and_measure
from autograder.sandbox import confine

EXERCISE = registry.get("ex02")
COUNT = EXERCISE.case("count")
COUNTS = tuple(EXERCISE.case(name) for name in ("count", "count_wide", "count_one"))  # 32, 17 and 1 units
GOOD = "def dense_param_count(inputs, units):\n    return inputs * units + units\n"


def run(tmp_path: Path, source: str, exercise=EXERCISE):
    path = tmp_path / exercise.filename
    path.write_text(source)
    return run_and_measure(exercise, path, (COUNT,), tmp_path / "work")["count"]


def test_a_correct_function_hands_back_its_value(tmp_path):
    run_ = run(tmp_path, GOOD)
    assert run_.failure is None and run_.observations["value"] == {"value": 64 * 32 + 32}


@pytest.mark.parametrize("source, expected", [
    ("def dense_param_count(inputs, units)\n    return 1\n", "has a syntax error on line 1"),
    ("import not_a_module\n", "No module named 'not_a_module'"),
    ("def other(inputs, units):\n    return 1\n", "defines no function dense_param_count()"),
    ("def dense_param_count(n):\n    return 1\n", "must accept the arguments (inputs, units)"),
    ("def dense_param_count(inputs, units):\n    raise NotImplementedError()\n", "is not implemented yet"),
    ("def dense_param_count(inputs, units):\n    return {1, 2}\n", "returned a set, which is not a number"),
    ("def dense_param_count(inputs, units):\n    return 1 / 0\n",
     "line 2, in dense_param_count: return 1 / 0\nZeroDivisionError: division by zero"),
    ("import sys\ndef dense_param_count(inputs, units):\n    sys.exit(0)\n", "called sys.exit(0)"),
    ("import sys\nsys.exit(3)\n", "importing ex02_dense.py failed"),
    ("import os\ndef dense_param_count(inputs, units):\n    os._exit(0)\n", "ended without handing back a result"),
    ("import ctypes\ndef dense_param_count(inputs, units):\n    ctypes.string_at(0)\n", "crashed with signal SIGSEGV"),
])
def test_broken_code_gets_a_clear_message(tmp_path, source, expected):
    run_ = run(tmp_path, source)
    assert run_.failure is not None and expected in run_.failure, run_.failure


def test_an_endless_loop_is_stopped_at_the_exercise_time_limit(tmp_path):
    quick = replace(EXERCISE, timeout_seconds=3)
    run_ = run(tmp_path, "def dense_param_count(inputs, units):\n    while True:\n        pass\n", quick)
    assert "did not finish within" in run_.failure


def test_a_fake_result_file_does_not_count(tmp_path):
    # The child's own account is only a status; the value must really be handed back.
    source = ("import json, os\ndef dense_param_count(inputs, units):\n"
              "    open('result.json', 'w').write(json.dumps({'status': 'ok'}))\n    os._exit(0)\n")
    run_ = run(tmp_path, source)
    assert run_.failure is None
    assert "error" in run_.observations["value"] and "value.json is missing" in run_.observations["value"]["error"]


# The grading process builds a case's data arrays and hands them over; the child cannot read the
# datasets' files, which hold the test split too.
PIPELINE = registry.get("ex19")
RECORDING = ("from pathlib import Path\nimport numpy as np\nfrom autograder.course import datasets\n"
             "def make_pipeline(x, y, batch_size, noise_std, seed):\n"
             "    np.save('received.npy', x)\n"
             "    try:\n"
             "        datasets.cache_file('breast_cancer', 0).read_bytes()\n"
             "        Path('kept_file.txt').write_text('read')\n"
             "    except OSError as exc:\n"
             "        Path('kept_file.txt').write_text(type(exc).__name__)\n"
             "    raise NotImplementedError()\n")


def test_the_child_receives_the_train_split_that_the_grading_process_built(tmp_path):
    from autograder.course import datasets

    case = PIPELINE.cases[0]
    path = tmp_path / PIPELINE.filename
    path.write_text(RECORDING)
    run_ = run_and_measure(PIPELINE, path, (case,), tmp_path / "work")[case.name]
    assert "is not implemented yet" in run_.failure
    (run_dir,) = (tmp_path / "work").glob(f"*/{case.name}")  # the folder of its child, then its own
    received = np.load(run_dir / "received.npy")
    assert np.array_equal(received, datasets.load("breast_cancer", seed=case.seed).x_train)
    assert datasets.cache_file("breast_cancer", case.seed).is_file()  # kept by the grading process
    if "mount namespace" in confine.available():
        assert (run_dir / "kept_file.txt").read_text() == "FileNotFoundError"  # not in the child's root at all
    elif confine.landlock_abi() >= 1:
        assert (run_dir / "kept_file.txt").read_text() == "PermissionError"


# One child runs the public case here and one the two hidden ones, one after the other (ex02 has one run
# child per visibility).
def run_counts(tmp_path: Path, source: str, exercise=EXERCISE, helper: str | None = None):
    path = tmp_path / exercise.filename
    path.write_text(source)
    if helper is not None:
        (tmp_path / "helper.py").write_text(helper)
    assert [len(group) for group in runs.deal(COUNTS, exercise.run_children)] == [1, 2]
    ran = run_and_measure(exercise, path, COUNTS, tmp_path / "work")
    return [ran[case.name] for case in COUNTS]


def test_each_case_starts_afresh_in_a_child_that_ran_others(tmp_path):
    # The submission's modules run anew and Keras forgets the layers an earlier case made.
    source = ("import keras\nimport helper\nCALLS = []\n"
              "def dense_param_count(inputs, units):\n"
              "    CALLS.append(units)\n    helper.CALLS.append(units)\n"
              "    assert CALLS == helper.CALLS == [units], f'left over: {CALLS} {helper.CALLS}'\n"
              "    assert keras.layers.Dense(1).name == 'dense', keras.layers.Dense(1).name\n"
              "    return inputs * units + units\n")
    runs = run_counts(tmp_path, source, helper="CALLS = []\n")
    assert [run.failure for run in runs] == [None, None, None], [run.failure for run in runs]
    assert [run.observations["value"]["value"] for run in runs] == [64 * 32 + 32, 300 * 17 + 17, 2]


def test_a_case_that_ends_its_child_fails_alone_and_the_next_runs_in_a_new_child(tmp_path):
    source = ("import os\ndef dense_param_count(inputs, units):\n"
              "    if units == 17:\n        os._exit(0)\n    return inputs * units + units\n")
    first, exited, last = run_counts(tmp_path, source)
    assert "ended without handing back a result" in exited.failure
    assert first.observations["value"]["value"] == 64 * 32 + 32 and last.observations["value"]["value"] == 2


def test_the_time_limit_applies_to_each_case_of_a_child(tmp_path):
    quick = replace(EXERCISE, timeout_seconds=3)
    source = ("import time\ndef dense_param_count(inputs, units):\n"
              "    time.sleep(600 if units == 1 else 2)\n    return inputs * units + units\n")
    first, second, hung = run_counts(tmp_path, source, quick)
    assert first.failure is None and second.failure is None  # 4 s in all, each case within its 3 s
    assert second.observations["value"]["value"] == 300 * 17 + 17
    assert "did not finish within 3 s" in hung.failure


def test_after_a_case_hangs_the_cases_after_it_are_not_run(tmp_path):
    quick = replace(EXERCISE, timeout_seconds=3)
    source = "import time\ndef dense_param_count(inputs, units):\n    time.sleep(600)\n"
    hung, *rest = run_counts(tmp_path, source, quick)
    assert "did not finish within 3 s" in hung.failure
    assert [run.failure for run in rest] == ["not run: an earlier case of this exercise timed out"] * 2


def test_each_case_keeps_what_it_printed(tmp_path):
    source = ("def dense_param_count(inputs, units):\n"
              "    print(f'counting {inputs}x{units}')\n    return inputs * units + units\n")
    runs = run_counts(tmp_path, source)
    assert [run.stdout for run in runs] == ["counting 64x32\n", "counting 300x17\n", "counting 1x1\n"]

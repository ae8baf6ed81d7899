"""Nothing of a hidden case reaches what a student sees, even when every case of every exercise fails
and the student's code echoes its arguments into every message it can."""

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import exercises as registry
from autograder.spec import DataArray, Provided

TFGRADE = str(Path(sys.executable).parent / "tfgrade")
EXERCISES = registry.all_exercises()


def echoing_submission(folder: Path) -> Path:
    """Every function of every exercise prints its arguments and raises them as its error."""
    folder.mkdir()
    for exercise in EXERCISES:
        functions = "\n\n".join(f"def {function.name}(**arguments):\n    print('arguments', arguments)\n"
                                f"    raise ValueError(f'{function.name} got {{arguments!r}}')\n"
                                for function in exercise.functions)
        (folder / exercise.filename).write_text(functions + "\n")
    return folder


def hidden_fragments() -> set[str]:
    """What would betray a hidden case: its check ids and its plain arguments as the code repr()s them,
    where no public case of any exercise has the same argument (the outputs hold every exercise)."""
    fragments = set()
    public = {(key, repr(value)) for exercise in EXERCISES for case in exercise.cases if not case.hidden
              for key, value in case.kwargs.items()}
    for exercise in EXERCISES:
        for case in exercise.cases:
            if case.hidden:
                fragments.add(f"{case.name}.")  # the case's checks' ids
                fragments |= {f"'{key}': {value!r}" for key, value in case.kwargs.items()
                              if not isinstance(value, (DataArray, Provided)) and (key, repr(value)) not in public}
    return fragments


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("leaks")
    student = echoing_submission(root / "echo")
    done = subprocess.run([TFGRADE, "grade", str(student), "--out", str(root / "out")], capture_output=True,
                          text=True, timeout=1800)
    assert done.returncode in (0, 1), done.stderr
    checked = subprocess.run([TFGRADE, "check", "--no-daemon", "--path", str(student)], capture_output=True,
                             text=True, timeout=1800)
    return root, done, checked


def test_every_exercise_failed_on_every_case_with_its_arguments_in_the_message(graded):
    root, _, _ = graded
    result = json.loads((root / "out" / "echo" / "result.json").read_text())
    assert len(result["exercises"]) == len(EXERCISES) and result["score"] == 0
    hidden_messages = [check["message"] for exercise in result["exercises"] for check in exercise["checks"]
                       if check["visibility"] == "hidden"]
    assert hidden_messages and all(" got {" in message for message in hidden_messages)  # the instructor's view


def test_no_student_visible_output_names_a_hidden_case(graded):
    root, done, checked = graded
    visible = {"feedback.html": html.unescape((root / "out" / "echo" / "feedback.html").read_text()),
               "results.json (Gradescope)": (root / "out" / "echo" / "results.json").read_text(),
               "tfgrade check": checked.stdout + checked.stderr}
    fragments = hidden_fragments()
    assert len(fragments) > 2 * len(EXERCISES)
    leaks = {(output, fragment) for output, text in visible.items() for fragment in fragments
             if re.search(re.escape(fragment) + r"(?=[,})\]]|$)", text)}  # 'units': 6 is not 'units': 64
    assert leaks == set()
    assert all(" got {" in text for text in visible.values())  # the public cases' messages are there

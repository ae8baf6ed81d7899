"""What the test cells of the nbgrader notebooks call, inside the student's kernel.

``check("ex02", "default.layer_types")`` grades the notebook's code with the kit's own pipeline and
reports one check: it prints its message when the check passes and raises ``CheckFailed`` (an
AssertionError) when it fails, so that nbgrader awards the cell's points or none. The message is
wrapped at ``LINE_WIDTH`` columns, as nbgrader's feedback page cuts an output line off at the edge
of its box rather than wrap it. It returns None, since nbgrader reads a cell's last value as partial
credit, and writes nothing to stderr, which nbgrader counts as a failure.

The code graded is the kernel's input history, minus the kit's own cells, written to a file and
graded by the warm grader of ``tfgrade check`` (``autograder.daemon``), which every kernel shares, or
without one by a separate grading process (``python -m autograder.notebook_checks``); TensorFlow's
output never reaches the kernel, nor do the details of hidden cases. Its result is cached per exercise and code, so only the first test cell
of an exercise waits. Whatever happens here runs in the student's kernel and can be defeated by the
student's own cells: the trusted grade is ``tfgrade grade`` on the submitted notebooks.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from autograder import exercises as registry
from autograder.grading import notebook_source
from autograder.results import CheckResult, ExerciseResult
from autograder.sandbox import quiet, scratch
from autograder.spec import HIDDEN

LINE_WIDTH = 90  # what the output box of nbgrader's feedback page shows in a 970-pixel-wide container
ERROR_PREFIX = "CheckFailed: "  # how Jupyter and the feedback page start a failed check's message
_graded: dict[str, tuple[str, ExerciseResult | str]] = {}  # exercise id -> (code hash, result or why not)


class CheckFailed(AssertionError):
    """A failed check. IPython shows only the message, never a traceback that would quote the cell
    (a hidden test cell's source must not reach the feedback)."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[0;31mCheckFailed\x1b[0m: {self}"]


def quiet_kernel() -> None:
    """Silence TensorFlow and Keras in this kernel: run before anything imports them. TensorFlow 2.21
    logs a oneDNN line whatever TF_CPP_MIN_LOG_LEVEL says, so it is imported here with stderr closed."""
    quiet.set_quiet_environment()
    quiet.silence_python_loggers()
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                import keras  # noqa: F401 - imports TensorFlow once, silently
            except ImportError:
                pass
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def check(exercise_id: str, check_id: str) -> None:
    shell = _shell()
    if shell is None:  # not in Jupyter, e.g. the notebook run as a file: the grader decides elsewhere
        return None
    exercise = registry.get(exercise_id)
    result = _result(exercise_id, notebook_source.render_source(f"{exercise.module_name}.ipynb", _history(shell)))
    found = next((c for c in result.checks if c.check_id == check_id), None)
    if found is None:
        raise CheckFailed(wrap(f"{exercise_id}: this check is not available here (hidden checks run when "
                               "your work is graded)"))
    text = wrap(describe(found))
    if not found.passed:
        raise CheckFailed(text)
    print(text)
    return None


def describe(check: CheckResult) -> str:
    """One line a student can act on; a hidden case is named by neither its inputs nor its name."""
    case = "hidden case" if check.visibility == HIDDEN else f"case {check.case}"
    outcome = "passed" if check.passed else check.public_message()
    return f"{check.exercise} {case}, {check.title} ({check.points:g}/{check.possible:g}): {outcome}"


def wrap(text: str, width: int = LINE_WIDTH) -> str:
    """``text`` in lines of at most ``width`` columns, the first one after ``ERROR_PREFIX``, the next
    ones indented; the message's own line breaks are kept, and no word is lost (a longer one is split)."""
    lines: list[str] = []
    for paragraph in text.split("\n") or [""]:
        first = " " * len(ERROR_PREFIX) if not lines else "    "
        wrapped = textwrap.wrap(paragraph, width, initial_indent=first, subsequent_indent="    ",
                                break_on_hyphens=False) or [first]
        if not lines:
            wrapped[0] = wrapped[0][len(first):]
        lines += wrapped
    return "\n".join(line.rstrip() for line in lines)


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _history(shell: Any) -> list[tuple[str, str]]:
    """The cells run so far, in order, as typed: what the kernel's state came from."""
    return [(f"In [{number}]", source) for number, source in enumerate(shell.history_manager.input_hist_raw)
            if number and source.strip() and notebook_source.KERNEL_MODULE not in source]


def _result(exercise_id: str, source: str) -> ExerciseResult:
    key = hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()
    cached = _graded.get(exercise_id)
    if cached is None or cached[0] != key:
        try:
            _graded[exercise_id] = (key, _grade(exercise_id, source))
        except KeyboardInterrupt:  # a cell timeout: later cells fail at once instead of timing out too
            _graded[exercise_id] = (key, "grading this code was stopped before it finished (time limit)")
            raise
    outcome = _graded[exercise_id][1]
    if isinstance(outcome, str):
        raise CheckFailed(wrap(f"{exercise_id}: {outcome}"))
    return outcome


def _grade(exercise_id: str, source: str) -> ExerciseResult | str:
    from autograder import daemon
    from autograder.course import Course

    exercise = registry.get(exercise_id)
    with scratch.temporary_directory(prefix=f"tfgrade-nb-{exercise_id}-") as folder:
        path = Path(folder) / exercise.filename
        path.write_text(source, encoding="utf-8", errors="replace")
        if os.environ.get("TFGRADE_DAEMON", "1") != "0":
            # The warm grader serves every kernel, so nbgrader's next notebook skips TensorFlow's import.
            try:
                return daemon.check(daemon.Address.for_course(Course.locate()), Path(folder), [exercise_id],
                                    hidden=True).exercises[0]
            except daemon.DaemonUnavailable:
                pass
        env = {**os.environ, **quiet.QUIET_ENV}
        done = subprocess.run([sys.executable, "-m", __name__, exercise_id, str(path)], capture_output=True,
                              text=True, env=env, cwd=folder)
    try:
        return ExerciseResult.from_dict(json.loads(done.stdout))
    except (ValueError, KeyError, TypeError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"the autograder could not grade this notebook (exit code {done.returncode}): {last[:300]}"


def _main(exercise_id: str, source: str) -> int:
    """The grading process: every case the installed course knows (hidden ones with the solutions)."""
    from autograder import sandbox
    from autograder.course import Course
    from autograder.grading import reference
    from autograder.grading.grade import grade_exercise
    from autograder.spec import ALL, PUBLIC_ONLY

    quiet.set_quiet_environment()
    course = Course.locate()
    sandbox.warm_up()
    result = grade_exercise(registry.get(exercise_id), Path(source), ALL if course.has_solutions else PUBLIC_ONLY,
                            reference.for_course(course))
    print(json.dumps(result.withheld().to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(_main(*sys.argv[1:3]))

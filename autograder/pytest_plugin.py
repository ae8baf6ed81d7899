"""``pytest --tfgrade``: every check of the student's exercises as a pytest test.

Registered through the ``pytest11`` entry point, so any pytest of the environment the kit is installed
in knows the options; nothing happens unless ``--tfgrade`` (or ``--tfgrade-path``, ``--tfgrade-hidden``)
is given. Then pytest collects, instead of test files, one folder of exercise files (``./assignments``
when there is one, else the current folder; or the folders and files named on the command line, or
``--tfgrade-path DIR``): one file node per exercise of the course (``assignments/ex02_dense.py``),
present or not, and one item per check under it (``default.layer_types``). IDEs' test explorers then
list every check beside its file, ``-k`` selects, and ``--junitxml`` writes one test case per check
with its message.

Each exercise is graded once per session, when the first of its selected items runs, the way
``tfgrade check --no-daemon`` grades (``grade_exercise``, the course's reference, the public data, a
time budget per folder); deselected exercises are never graded. Each item then reports its own check.
A missing file, an untouched stub or a crash fails the exercise's items with the grader's message, as
``tfgrade check`` scores them zero. ``--tfgrade-hidden`` (instructors: only where the course has its
``solutions/``) adds the hidden checks, messages included.

This module imports only pytest at import time: the kit is imported when ``--tfgrade`` is given.
"""

from __future__ import annotations

import functools
import os
import re
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from autograder.results import CheckResult, ExerciseResult
    from autograder.spec import Case, Check, Exercise

# pytest.Directory arrived in pytest 8; with an older pytest the plugin still loads, and --tfgrade says so.
_Directory: Any = getattr(pytest, "Directory", pytest.Collector)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfgrade", "tfgrade: each check of the course's exercises as a test")
    group.addoption("--tfgrade", action="store_true", default=False,
                    help="collect the public checks of the exercise files in ./assignments (or ., or the folders "
                         "and files given) instead of tests; each exercise is graded once, when its first check runs")
    group.addoption("--tfgrade-path", action="append", default=[], metavar="DIR",
                    help="a folder of exercise files to check (implies --tfgrade; may be repeated)")
    group.addoption("--tfgrade-hidden", action="store_true", default=False,
                    help="include the hidden checks (implies --tfgrade; needs the course's solutions/)")


def _active(config: pytest.Config) -> bool:
    option = config.option
    return bool(getattr(option, "tfgrade", False) or getattr(option, "tfgrade_path", None)
                or getattr(option, "tfgrade_hidden", False))


class _State:
    """What the session grades with: the course, its reference, the visibilities, the folders."""

    def __init__(self, config: pytest.Config, folders: list[Path], hidden: bool) -> None:
        from autograder.course import Course
        from autograder.spec import ALL, PUBLIC_ONLY

        self.config = config
        self.course = Course.locate()
        if hidden and not self.course.has_solutions:
            raise pytest.UsageError(f"--tfgrade-hidden needs the course's solutions/ folder, which a student bundle "
                                    f"does not have (looked in {self.course.root})")
        self.hidden = hidden
        self.visibilities = ALL if hidden else PUBLIC_ONLY
        self.folders = folders
        self._resolved = {folder.resolve() for folder in folders}
        self._reference: Any = None
        self._warm = False
        self.graded: list[tuple[Path, ExerciseResult]] = []

    def is_folder(self, path: Path) -> bool:
        return path.resolve() in self._resolved

    def grade(self, exercise: Exercise, source: Path, deadline: Any) -> ExerciseResult:
        from autograder.grading import grade as grading
        from autograder.grading import reference

        if self._reference is None:
            self._reference = reference.for_course(self.course)
        if not self._warm and (source.exists() or source.is_symlink()):
            self._warm_up()
        result = grading.grade_exercise(exercise, source, self.visibilities, self._reference, deadline=deadline)
        self.graded.append((source, result))
        return result

    def _warm_up(self) -> None:
        """Start the forkserver (TensorFlow's import) outside pytest's output capture: it outlives the item
        whose run starts it, and must not write into that item's captured output."""
        from contextlib import nullcontext

        from autograder import sandbox

        capture = self.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled() if capture is not None else nullcontext():
            sandbox.warm_up()
        self._warm = True


_STATE = pytest.StashKey[_State]()


def _state(config: pytest.Config) -> _State:
    return config.stash[_STATE]


def pytest_configure(config: pytest.Config) -> None:
    if not _active(config):
        return
    if _Directory is pytest.Collector:
        raise pytest.UsageError(f"pytest --tfgrade needs pytest 8 or newer (this is pytest {pytest.__version__})")
    folders = _folders(config)
    config.stash[_STATE] = _State(config, folders, bool(config.option.tfgrade_hidden))


def _folders(config: pytest.Config) -> list[Path]:
    """The folders whose exercises are checked, and the arguments pytest collects (``config.args``):
    the folders and files named on the command line (a file stands for its folder, restricted to it by
    pytest's own matching), each ``--tfgrade-path``, else ``./assignments`` or the current folder."""
    here = config.invocation_params.dir
    named = config.args if config.args_source == pytest.Config.ArgsSource.ARGS else []
    extra = [str(Path(os.path.abspath(here / path))) for path in config.option.tfgrade_path]
    if not named and not extra:
        extra = [str(here / "assignments") if (here / "assignments").is_dir() else str(here)]
    folders = []
    for arg in [*named, *extra]:
        path = Path(os.path.abspath(here / arg.split("::")[0]))
        folder = path if path.is_dir() or not path.suffix else path.parent
        if not folder.is_dir():
            raise pytest.UsageError(f"--tfgrade: {folder} is not a folder")
        if folder not in folders:
            folders.append(folder)
    config.args = [*named, *extra]
    return folders


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = parent.config.stash.get(_STATE, None)
    if state is not None and state.is_folder(path):
        return ExerciseFolder.from_parent(parent, path=path)
    return None


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return None
    checks = "every check, hidden ones included" if state.hidden else "the public checks"
    return [f"tfgrade: {checks} of {', '.join(map(str, state.folders))} (course {state.course.root})"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    state = terminalreporter.config.stash.get(_STATE, None)
    if state is None or not state.graded:
        return
    terminalreporter.write_sep("-", "tfgrade points")
    several = len(state.folders) > 1
    for source, result in state.graded:
        where = f" in {source.parent}" if several else ""
        terminalreporter.write_line(f"{result.exercise} {result.title}{where}: {result.score:g} / "
                                    f"{result.possible:g} points")


class ExerciseFolder(_Directory):
    """A folder of exercise files: one ``ExerciseFile`` per exercise of the course, present or not."""

    _deadline: Any = None

    def collect(self) -> Iterator[pytest.Collector]:
        from autograder import exercises as registry

        for exercise in registry.all_exercises():
            yield ExerciseFile.from_parent(self, path=self.path / exercise.filename, exercise=exercise)

    def deadline(self) -> Any:
        """The folder's grading time budget, shared by its exercises as in ``grade_submission``; it starts
        with the first exercise graded."""
        from autograder.grading import runs

        if self._deadline is None:
            self._deadline = runs.Deadline(runs.budget_seconds())
        return self._deadline


class ExerciseFile(pytest.File):
    """One exercise of a submission; graded once, when the first of its selected checks runs."""

    def __init__(self, *, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.exercise = exercise
        self._outcome: ExerciseResult | BaseException | None = None

    def collect(self) -> Iterator[pytest.Item]:
        state = _state(self.config)
        for case in self.exercise.cases_for(state.visibilities):
            for check in self.exercise.checks_for(case):
                yield CheckItem.from_parent(self, name=f"{case.name}.{check.id}", case=case, check=check)

    @functools.cached_property
    def text(self) -> str:
        """The file as it is now ("" when missing): only read, never imported."""
        try:
            return self.path.read_text(errors="replace") if self.path.is_file() else ""
        except OSError:
            return ""

    def result(self) -> ExerciseResult:
        if self._outcome is None:
            try:
                self._outcome = _state(self.config).grade(self.exercise, self.path, self.parent.deadline())
            except Exception as exc:  # noqa: BLE001 - every item of the exercise reports it; none grades again
                self._outcome = exc
        if isinstance(self._outcome, BaseException):
            raise GradingFailed(self.exercise.id, self._outcome)
        return self._outcome


class CheckItem(pytest.Item):
    """One check of one case; it reports what grading its exercise decided."""

    def __init__(self, *, case: Case, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.check = check
        exercise = self.parent.exercise
        self.extra_keyword_matches.update({exercise.id, exercise.slug, case.visibility})

    @property
    def exercise(self) -> Exercise:
        return self.parent.exercise

    def runtest(self) -> None:
        graded = self.parent.result()
        check = next((c for c in graded.checks if c.check_id == self.name), None)
        if check is None:
            raise GradingFailed(self.exercise.id, LookupError(f"grading reported no result for {self.name}"))
        if not check.passed:
            raise CheckFailed(check, graded)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, (CheckFailed, GradingFailed)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self._line(), f"{self.exercise.module_name}::{self.name}"

    def _line(self) -> int | None:
        """Where the case's function is defined in the student's file (0-based), for IDEs to jump to."""
        function = re.escape(self.exercise.function_of(self.case).name)
        text = self.parent.text
        found = re.search(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{function}[ \t]*\(", text, flags=re.MULTILINE)
        return text.count("\n", 0, found.start()) if found else None


class CheckFailed(Exception):
    """A check that lost its points: the grader's message, then the exercise's when it could not be graded."""

    def __init__(self, check: CheckResult, exercise: ExerciseResult) -> None:
        lines = [check.message or "failed"]
        if exercise.status == "error" and exercise.message and exercise.message != check.message:
            lines.append(f"{exercise.exercise} could not be graded: {exercise.message}")
        case = check.case if check.visibility == "public" else f"{check.case} (hidden)"
        lines.append(f"[{exercise.exercise} {case}: {check.title}, {check.points:g} of {check.possible:g} "
                     f"point{'' if check.possible == 1 else 's'}]")
        super().__init__("\n".join(lines))


class GradingFailed(Exception):
    """Grading itself failed (the reference, the kit): every item of the exercise reports it."""

    def __init__(self, exercise_id: str, cause: BaseException) -> None:
        from autograder.errors import TfgradeError

        text = f"{exercise_id} could not be graded: {type(cause).__name__}: {cause}"
        if not isinstance(cause, TfgradeError):  # a bug, not a condition the kit names: where it happened
            text += "\n\n" + "".join(traceback.format_exception(type(cause), cause, cause.__traceback__))
        super().__init__(text)
        self.cause = cause

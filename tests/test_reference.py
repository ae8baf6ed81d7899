"""The reference cache key: it changes with what decides a measurement and with nothing else."""

import ast
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import autograder
from autograder.course import Course
from autograder.exercises import get as exercise_by_id
from autograder.grading import reference as reference_module
from autograder.grading import runs
from autograder.grading.reference import ComputedReference, measuring_code

PACKAGE_ROOT = Path(autograder.__file__).parent.parent


def _module_file(name: str) -> Path | None:
    base = PACKAGE_ROOT / name.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _kit_imports(path: Path) -> set[str]:
    """The kit's modules ``path`` imports, anywhere in it (function-level imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("autograder"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if _module_file(f"{node.module}.{alias.name}")}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("autograder.")}
    return {name for name in found if _module_file(name) and name != "autograder"}  # the root holds a version


def test_every_module_the_children_run_is_part_of_the_key():
    seen, todo = set(), ["autograder.children.run", "autograder.children.measure", "autograder.children.preload",
                         "autograder.grading.runs"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_kit_imports(_module_file(module)))
    keyed = measuring_code()
    unkeyed = {name for name in seen
               if not any(_module_file(name) == path or path in _module_file(name).parents for path in keyed)}
    assert not unkeyed, unkeyed
    assert len(seen) > 20  # the walk reached the packages, not just its starting points


def test_a_file_added_to_a_measuring_package_changes_the_key(tmp_path, monkeypatch):
    package = tmp_path / "package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.setattr(reference_module, "MEASURING_PACKAGES", (SimpleNamespace(__file__=str(package / "__init__.py")),))
    reference, exercise = ComputedReference(_course_copy(tmp_path)), exercise_by_id("ex02")
    before = reference.cache_file(exercise)
    (package / "probes").mkdir()
    (package / "probes" / "new_probe.py").write_text("X = 1\n")
    assert reference.cache_file(exercise) != before


def _course_copy(tmp_path):
    course = Course(tmp_path / "course")
    shutil.copytree(Course.locate().solutions, course.solutions)
    return course


def test_key_follows_the_solution_but_not_the_report_code(tmp_path):
    course = _course_copy(tmp_path)
    reference = ComputedReference(course)
    exercise = exercise_by_id("ex02")
    before = reference.cache_file(exercise)
    assert reference.cache_file(exercise_by_id("ex06")).name != before.name
    solution = course.solutions / exercise.filename
    solution.write_text(solution.read_text() + "\n# changed\n")
    assert reference.cache_file(exercise) != before
    keyed = measuring_code()
    assert not any(path.name in ("results", "commands", "cli.py") for path in keyed)


def test_parallel_requests_measure_the_reference_once(tmp_path, monkeypatch):
    measured = []

    def slow_measure(exercise, source, cases, workdir):
        measured.append(exercise.id)
        time.sleep(0.5)  # long enough for the other request to arrive while this one measures
        return {case.name: SimpleNamespace(failure=None, observations={"summary": {"value": case.name}})
                for case in cases}

    monkeypatch.setattr(runs, "run_and_measure", slow_measure)
    reference, exercise = ComputedReference(_course_copy(tmp_path)), exercise_by_id("ex02")
    answers = []
    requests = [threading.Thread(target=lambda: answers.append(reference.observations(exercise, exercise.cases)))
                for _ in range(3)]
    for request in requests:
        request.start()
    for request in requests:
        request.join()
    assert measured == ["ex02"] and len(answers) == 3 and answers[0] == answers[1] == answers[2]
    assert set(answers[0]) == {case.name for case in exercise.cases}


def test_measuring_is_told_and_a_cached_reference_is_not_measured_again(tmp_path, monkeypatch):
    # What `tfgrade grade` shows while the references are computed (minutes, the first time).
    monkeypatch.setattr(runs, "run_and_measure", lambda exercise, source, cases, workdir: {
        case.name: SimpleNamespace(failure=None, observations={"summary": {"value": case.name}}) for case in cases})
    told = []
    reference = ComputedReference(_course_copy(tmp_path),
                                  on_measure=lambda exercise, measuring: told.append((exercise.id, measuring)))
    exercise = exercise_by_id("ex02")
    assert not reference.cached(exercise, exercise.cases)
    reference.observations(exercise, exercise.cases)
    assert told == [("ex02", True), ("ex02", False)] and reference.cached(exercise, exercise.cases)
    reference.observations(exercise, exercise.cases)
    assert told == [("ex02", True), ("ex02", False)]

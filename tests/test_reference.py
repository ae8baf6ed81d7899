"""The reference cache key: it changes with what decides a measurement and with nothing else."""

import ast
import shutil
import threading
import time
from types import SimpleNamespace

import autograder.grading

from autograder.course import PACKAGE_DIR, Course
from autograder.reference import MEASURING_MODULES, ComputedReference
from autograder.registry import get as exercise_by_id


def _kit_imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE_DIR / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "autograder":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograder."):
            found.add(node.module.split(".")[1])
    return {name for name in found if (PACKAGE_DIR / f"{name}.py").is_file()}


def test_every_module_the_children_run_is_part_of_the_key():
    seen, todo = set(), ["harness", "observe", "preload", "grading"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_kit_imports(module))
    # The deciding process's own modules may change freely: they never alter an observation.
    deciding_only = {"results", "reference", "course"}
    assert seen - deciding_only <= set(MEASURING_MODULES), seen - set(MEASURING_MODULES)
    assert all((PACKAGE_DIR / f"{name}.py").is_file() for name in MEASURING_MODULES)


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
    assert "report" not in MEASURING_MODULES and "export" not in MEASURING_MODULES


def test_parallel_requests_measure_the_reference_once(tmp_path, monkeypatch):
    measured = []

    def slow_measure(exercise, source, cases, workdir):
        measured.append(exercise.id)
        time.sleep(0.5)  # long enough for the other request to arrive while this one measures
        return {case.name: SimpleNamespace(failure=None, observations={"summary": {"value": case.name}})
                for case in cases}

    monkeypatch.setattr(autograder.grading, "run_and_measure", slow_measure)
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

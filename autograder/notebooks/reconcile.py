"""nbgrader's gradebook checked against tfgrade's trusted grade of the same notebooks, cell by cell.

nbgrader grades inside the student's kernel, which the student's own cells can subvert; ``tfgrade grade``
on the submitted notebooks is the trusted grade. ``compare`` lists every notebook whose cells score
differently; with ``write`` it stores the trusted scores as manual scores, which nbgrader documents as
taking precedence over the autograded ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import exercises as registry
from autograder.notebooks import build
from autograder.results import GradingResult, files
from autograder.spec import Exercise


@dataclass
class Mismatch:
    student: str
    notebook: str
    nbgrader_score: float | None
    trusted_score: float | None
    cells: list[str]  # "grade_id: nbgrader -> trusted"
    why: str = ""  # when there is nothing to compare
    written: bool = False  # --write made the gradebook agree


def open_gradebook(course_dir: Path) -> Any:
    """nbgrader's gradebook as the course's own configuration locates it."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import Config, PyFileConfigLoader

    config = Config()
    if (course_dir / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    coursedir = CourseDirectory(config=config, root=str(course_dir.resolve()))
    return Gradebook(coursedir.db_url, coursedir.course_id)


def compare(gradebook: Any, assignment: str, grades: Path, write: bool) -> list[Mismatch]:
    mismatches = []
    seen = set()
    for submission in sorted(gradebook.assignment_submissions(assignment), key=lambda s: s.student_id):
        student = submission.student_id
        seen.add(student)
        trusted = files.read_submission(grades / files.student_folder(student))
        for notebook in sorted(submission.notebooks, key=lambda n: n.name):
            exercise = next((e for e in registry.all_exercises() if e.module_name == notebook.name), None)
            if exercise is None:
                continue
            mismatch = _compare_notebook(gradebook, notebook, exercise, trusted, write)
            if mismatch:
                mismatches.append(Mismatch(student, notebook.name, *mismatch))
    graded = (files.read_submission(folder) for folder in sorted(grades.iterdir()) if folder.is_dir())
    for name in sorted(result.submission for result in graded if result and result.submission not in seen):
        mismatches.append(Mismatch(name, "-", None, None, [], "graded by tfgrade, not in nbgrader's gradebook"))
    if write:
        gradebook.db.commit()
    return mismatches


def _compare_notebook(gradebook: Any, notebook: Any, exercise: Exercise, trusted: GradingResult | None,
                      write: bool) -> tuple[float | None, float | None, list[str], str, bool] | None:
    by_cell = {grade.name: grade for grade in notebook.grades}
    nbgrader_score = sum(grade.score for grade in notebook.grades)
    result = next((e for e in trusted.exercises if e.exercise == exercise.id), None) if trusted else None
    if result is None:
        return nbgrader_score, None, [], "no tfgrade result for this student and exercise", False
    points = {check.check_id: check.points for check in result.checks}
    differing, written = [], True
    for graded in build.graded_checks(exercise):
        grade = by_cell.get(graded.grade_id)
        expected = points.get(graded.check_id, 0.0)
        if grade is None or abs((grade.score or 0.0) - expected) > 1e-6:
            differing.append(f"{graded.grade_id} {(grade.score if grade else 0):g} -> {expected:g}")
            written = written and write and grade is not None
            if write and grade is not None:
                grade.manual_score = expected
                grade.needs_manual_grade = False
    return (nbgrader_score, result.score, differing, "", written) if differing else None

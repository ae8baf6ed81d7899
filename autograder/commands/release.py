"""``tfgrade release``: the student bundle. Assignments, the kit with hidden cases stripped, and the
reference's public observations, measured on the public data; never the solutions, nor the course
secret or anything measured on its data. The bundle is checked before it is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder import exercises as registry
from autograder import sandbox, templates
from autograder.commands.common import instructor_reference
from autograder.course import PACKAGE_DIR, datasets
from autograder.errors import UsageError
from autograder.results import terminal
from autograder.sandbox import artifacts
from autograder.spec import PUBLIC_ONLY, stubs


def main(*, out: Path) -> int:
    from autograder.errors import UsageError

    ref = instructor_reference("release")
    course = ref.course
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} exists and is not empty")
    exercises = list(registry.all_exercises())
    stale = stubs.out_of_sync(course.assignments, course.solutions, exercises)
    if stale:
        raise UsageError(f"assignments/ is out of date ({', '.join(stale)}): run `tfgrade generate` first")

    sandbox.warm_up()
    public = {}
    with datasets.keyed(None):  # students check on the public data: never the course secret's
        for exercise in exercises:
            with terminal.working(f"measuring the reference of {exercise.id} {exercise.slug}"):
                public[exercise.id] = ref.observations(exercise, exercise.cases_for(PUBLIC_ONLY))

    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(course.assignments, out / "assignments", ignore=shutil.ignore_patterns("__pycache__"))
    package = out / PACKAGE_DIR.name
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc",
                                                                         "reference_public.json"))
    for spec in (package / "exercises").glob("ex*.py"):
        spec.write_text(stubs.strip_hidden(spec.read_text()))
    artifacts.write_json(package / "reference_public.json", public)
    (out / "pyproject.toml").write_text(student_pyproject((course.root / "pyproject.toml").read_text()))
    (out / "README.md").write_text(templates.text("student_README.md"))

    leaks = leaked_files(out)
    if leaks:
        shutil.rmtree(out)
        raise UsageError(f"refusing to release: solution or hidden material found in {leaks}")
    terminal.say(f"wrote the student bundle to {out} ({len(exercises)} exercises)")
    return 0


# A student checks from the command line or with pytest: nbgrader (and the JupyterLab it brings, about 2 GB
# of the course's environment) becomes an extra, `pip install -e ".[notebooks]"`; the course's own test
# settings (its tests folder, two xdist workers) give way to plain pytest for `pytest --tfgrade`.
STUDENT_DEPENDENCIES = {'    "nbgrader>=0.9",\n': '    "pytest>=8",               # `pytest --tfgrade`: each check a test\n'}
STUDENT_EXTRAS = 'notebooks = ["nbgrader>=0.9"]   # the exercises as notebooks (JupyterLab comes with it)\n'


def student_pyproject(text: str) -> str:
    """The course's pyproject.toml for the student bundle: no nbgrader by default, no course test settings."""
    for old, new in STUDENT_DEPENDENCIES.items():
        if old not in text:
            raise UsageError(f"pyproject.toml no longer lists {old.strip()}: update release.STUDENT_DEPENDENCIES")
        text = text.replace(old, new)
    text = text.replace("[project.optional-dependencies]\n", "[project.optional-dependencies]\n" + STUDENT_EXTRAS, 1)
    start = text.index("[tool.pytest.ini_options]")
    end = text.find("\n[", start + 1)
    return text[:start] + '[tool.pytest.ini_options]\naddopts = "-ra"\n' + (text[end:] if end != -1 else "")


def leaked_files(bundle: Path) -> list[str]:
    """Files of the bundle that still carry solution or hidden-test regions, or that are the course's
    own (``.tfgrade/``: the secret, the cached references and splits)."""
    return [str(path.relative_to(bundle)) for path in sorted(bundle.rglob("*"))
            if path.is_file() and (".tfgrade" in path.relative_to(bundle).parts
                                   or path.suffix in (".py", ".json", ".md", ".toml")
                                   and stubs.has_solution_code(path.read_text(errors="replace")))]

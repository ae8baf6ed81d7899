"""``tfgrade gradescope --out autograder.zip``: a Gradescope autograder that installs this kit and
writes ``results.json`` for each submission, for courses that grade on Gradescope's machines.

The zip holds ``setup.sh`` and ``run_autograder`` (Gradescope's entry points) and ``course/``: the
kit, the specs with their hidden cases, the reference solutions and the course secret (made here if
the course has none), which Gradescope never shows students. Gradescope's grading thus measures on the
secret's data, like ``tfgrade grade``; the reference's cached observations on that data travel along,
so a submission does not pay for them.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from autograder import exercises as registry
from autograder import sandbox, templates
from autograder.commands.common import data_key, instructor_reference
from autograder.course import PACKAGE_DIR, Course, datasets, secret
from autograder.errors import UsageError
from autograder.results import terminal
from autograder.sandbox import scratch


def main(*, out: Path) -> int:
    ref = instructor_reference("gradescope")
    course = ref.course
    from_environment = secret.from_environment()  # data_key drops it from this process' environment
    key = data_key(course, create=True)
    sandbox.warm_up()
    exercises = list(registry.all_exercises())
    with datasets.keyed(key):  # Gradescope grades on the secret's data: its references are measured on it
        for exercise in exercises:
            with terminal.working(f"measuring the reference of {exercise.id} {exercise.slug}"):
                ref.observations(exercise, exercise.cases)
        cache_files = [ref.cache_file(exercise) for exercise in exercises]
    with scratch.temporary_directory() as tmp:
        staging = Path(tmp) / "course"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "reference_public.json")
        shutil.copytree(PACKAGE_DIR, staging / PACKAGE_DIR.name, ignore=ignore)
        shutil.copytree(course.solutions, staging / "solutions", ignore=ignore)
        for cached in cache_files:
            (staging / ".tfgrade" / "cache").mkdir(parents=True, exist_ok=True)
            shutil.copy(cached, staging / ".tfgrade" / "cache" / cached.name)
        _stage_secret(course, staging, from_environment)
        shutil.copy(course.root / "pyproject.toml", staging / "pyproject.toml")
        (staging / "README.md").write_text("tfgrade course for Gradescope\n")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("setup.sh", "run_autograder"):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o755 << 16
                archive.writestr(info, templates.text(f"gradescope/{name}"))
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    archive.write(path, Path("course") / path.relative_to(staging))
    terminal.say(f"wrote the Gradescope autograder to {out} ({len(exercises)} exercises)")
    return 0


def _stage_secret(course: Course, staging: Path, from_environment: str | None) -> None:
    """The course secret, where `tfgrade grade` looks for it on Gradescope's machine (the zip is
    instructor-only): ``TFGRADE_SECRET`` when it was set here, else the course's secret file."""
    value = from_environment or secret.read(course.secret_file)
    if value is None:  # data_key(create=True) made one: only a file removed since then gets here
        raise UsageError(f"the course secret {course.secret_file} disappeared while the autograder was built")
    staged = Course(staging).secret_file
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_text(value + "\n")
    staged.chmod(0o600)

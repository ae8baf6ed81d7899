"""``tfgrade gradescope --out autograder.zip``: a Gradescope autograder that installs this kit and
writes ``results.json`` for each submission, for courses that grade on Gradescope's machines.

The zip holds ``setup.sh`` and ``run_autograder`` (Gradescope's entry points) and ``course/``: the
kit, the specs with their hidden cases and the reference solutions, which Gradescope never shows
students. The reference's cached observations travel along, so a submission does not pay for them.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from autograder import exercises as registry
from autograder import sandbox, templates
from autograder.commands.common import instructor_reference
from autograder.course import PACKAGE_DIR
from autograder.results import terminal
from autograder.sandbox import scratch


def main(*, out: Path) -> int:
    ref = instructor_reference("gradescope")
    course = ref.course
    sandbox.warm_up()
    exercises = list(registry.all_exercises())
    for exercise in exercises:
        with terminal.working(f"measuring the reference of {exercise.id} {exercise.slug}"):
            ref.observations(exercise, exercise.cases)
    with scratch.temporary_directory() as tmp:
        staging = Path(tmp) / "course"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "reference_public.json")
        shutil.copytree(PACKAGE_DIR, staging / PACKAGE_DIR.name, ignore=ignore)
        shutil.copytree(course.solutions, staging / "solutions", ignore=ignore)
        for exercise in exercises:
            cached = ref.cache_file(exercise)
            (staging / ".tfgrade" / "cache").mkdir(parents=True, exist_ok=True)
            shutil.copy(cached, staging / ".tfgrade" / "cache" / cached.name)
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

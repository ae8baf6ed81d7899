"""``tfgrade gradescope --out autograder.zip``: a Gradescope autograder that installs this kit and
writes ``results.json`` for each submission, for courses that grade on Gradescope's machines.

The zip holds ``setup.sh`` and ``run_autograder`` (Gradescope's entry points) and ``course/``: the
kit, the specs with their hidden cases, the reference solutions and the course secret (made here if
the course has none), which Gradescope never shows students. Gradescope's grading thus measures on the
secret's data, like ``tfgrade grade``; the reference's cached observations on that data travel along,
so a submission does not pay for them. They are keyed by the libraries' versions, so the zip also pins
the versions they were measured with: ``constraints.txt`` (every distribution installed here, but
tfgrade and the packaging tools), ``requirements.txt`` (the course's dependencies) and
``python-version.txt``; ``setup.sh`` installs exactly those, checks them with ``check_pins.py`` and
then checks that every shipped reference is one this environment would read (``check_references``), so
that a version drift fails the build instead of recomputing every reference inside each submission's
container. See docs/gradescope.md.
"""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from autograder import sandbox, templates
from autograder.commands.common import data_key, instructor_reference, select
from autograder.course import PACKAGE_DIR, Course, datasets, secret
from autograder.course.versions import installed as _version
from autograder.errors import UsageError
from autograder.results import terminal
from autograder.sandbox import scratch

ENTRY_POINTS = ("setup.sh", "run_autograder", "check_pins.py")
# Not pinned: tfgrade travels in the zip, and the packaging tools decide no measurement (pinning
# setuptools would also clash with the build requirements of packages pip builds from source).
NOT_PINNED = frozenset({"tfgrade", "pip", "setuptools", "wheel", "distribute"})
# The distributions that install the ``tensorflow`` module: the instructor's is pinned under each name,
# so that a zip built on macOS (``tensorflow``) pins Linux's ``tensorflow-cpu`` as well.
TENSORFLOW_NAMES = ("tensorflow", "tensorflow-cpu")


EXERCISES_FILE = "exercises.txt"  # in the zip's course: the assignment's exercises, one id per line


def main(*, out: Path, exercises: list[str] | None = None) -> int:
    ref = instructor_reference("gradescope")
    course = ref.course
    from_environment = secret.from_environment()  # data_key drops it from this process' environment
    key = data_key(course, create=True)
    sandbox.warm_up()
    exercises = select(exercises)  # an assignment's exercises; all of them by default
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
        (staging / EXERCISES_FILE).write_text("".join(f"{exercise.id}\n" for exercise in exercises))
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ENTRY_POINTS:
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o755 << 16
                archive.writestr(info, templates.text(f"gradescope/{name}"))
            archive.writestr("constraints.txt", constraints())
            archive.writestr("requirements.txt", "\n".join(requirements(course)) + "\n")
            archive.writestr("python-version.txt", f"{sys.version_info.major}.{sys.version_info.minor}\n")
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


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): ``Scikit_Learn`` -> ``scikit-learn``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints() -> str:
    """``name==version`` for every distribution of this environment but tfgrade and the packaging tools:
    what the references were measured with, and what ``setup.sh`` installs (``pip install -c``)."""
    pins: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = canonical(distribution.metadata["Name"] or "")
        if name and name not in NOT_PINNED:
            pins.setdefault(name, distribution.version)  # the first on the path is the one imported
    tensorflow = _version("tensorflow")
    if tensorflow != "-":
        for name in TENSORFLOW_NAMES:
            pins.setdefault(name, tensorflow)
    header = (f"# The versions tfgrade's references were measured with (Python {sys.version.split()[0]}, "
              f"{sys.platform}); generated by `tfgrade gradescope`.\n")
    return header + "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def requirements(course: Course) -> list[str]:
    """The course's dependencies, as its pyproject.toml declares them (markers kept: pip evaluates them on
    Gradescope's machine)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: the installed kit's metadata, extras left out
        declared = metadata.requires("tfgrade") or []
        return [r for r in declared if "extra ==" not in r.replace('"', "").replace("'", "")]
    project = tomllib.loads((course.root / "pyproject.toml").read_text()).get("project", {})
    return list(project.get("dependencies", []))


def check_references() -> int:
    """``setup.sh``'s last step, run by the installed kit in the zip's course: 0 when every shipped
    reference is the one this environment would read, else 1, naming the exercises that would be
    recomputed inside every submission's container (a library version, the kit or a solution differ)."""
    ref = instructor_reference("gradescope")
    key = data_key(ref.course)
    listed = ref.course.root / EXERCISES_FILE
    exercises = select(listed.read_text().split() if listed.is_file() else None)
    with datasets.keyed(key):
        missing = [e.id for e in exercises if not ref.cache_file(e).is_file()]
    if missing:
        terminal.say(f"the zip's references of {', '.join(missing)} do not match this environment: each "
                     f"submission would recompute them. Installed here: tensorflow {_version('tensorflow')}, "
                     f"keras {_version('keras')}, numpy {_version('numpy')}, scikit-learn {_version('scikit-learn')}, "
                     f"Python {sys.version.split()[0]}; rebuild the zip where these are installed, or pin them.")
        return 1
    terminal.say(f"the zip's references of its {len(exercises)} exercises match this environment")
    return 0


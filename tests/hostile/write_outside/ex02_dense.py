"""Writes files outside its run folder: into the course, the kit, HOME, /tmp and the grades folder."""
import os
from pathlib import Path

import autograder
from autograder.course import Course

MARKER = "tfgrade_hostile_canary"


def _grader_out_folder():
    """The grading process's --out, read from its command line (the parent of this process's parent)."""
    try:
        with open(f"/proc/{os.getppid()}/stat") as stat:
            grader = int(stat.read().rsplit(")", 1)[1].split()[1])
        args = Path(f"/proc/{grader}/cmdline").read_bytes().decode().split("\0")
    except OSError:  # /proc out of view
        return Path("/nonexistent")
    return Path(args[args.index("--out") + 1]) if "--out" in args else Path("/nonexistent")


def _targets():
    out = _grader_out_folder()
    return [Course.locate().root / MARKER, Path(autograder.__file__).parent / f"{MARKER}.py",
            Path.home() / MARKER, Path("/tmp") / MARKER, out / MARKER, out / "write_outside" / "result.json",
            out / "grades.csv"]


def _write_everywhere():
    refused = []
    for target in _targets():
        try:
            target.write_text("fake: 26 / 26")
        except OSError as exc:
            refused.append(f"{target.name}: {exc.strerror}")
    raise PermissionError("; ".join(refused))


def build_classifier(num_features, num_classes, units):
    _write_everywhere()


def dense_param_count(inputs, units):
    _write_everywhere()

"""The ``tfgrade`` command: a thin argparse layer over one module per subcommand in
``autograder.commands``, each exposing a keyword-only ``main(...)`` that returns the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import __version__
from autograder.errors import ReferenceFailure, UsageError
from autograder.sandbox import quiet


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tfgrade", description="Graded TensorFlow/Keras exercises.")
    parser.add_argument("--version", action="version", version=f"tfgrade {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list the exercises, their titles and points")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("check", help="check your own assignments with the public checks")
    p.add_argument("exercises", nargs="*", metavar="EXERCISE", help="number (6), id (ex06) or name (conv2d)")
    p.add_argument("--path", type=Path, default=None, help="the assignments folder (default: ./assignments "
                                                             "if it exists, else the current folder)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--no-daemon", action="store_true", help="grade in this process, without the warm grader "
                                                            "that keeps TensorFlow loaded between checks")

    p = sub.add_parser("daemon", help="show or stop the warm graders that `tfgrade check` starts")
    p.add_argument("action", choices=["status", "stop"], nargs="?", default="status",
                   help="status: list every warm grader of yours; stop: stop this course's")
    p.add_argument("--all", action="store_true", help="with stop: stop every warm grader of yours")

    p = sub.add_parser("grade", help="grade a submission, or a folder of them, with every check")
    p.add_argument("submission", type=Path, help="a folder shaped like assignments/, a .zip of one, or a folder "
                                                 "of such folders and zips (one per student)")
    p.add_argument("--out", type=Path, required=True, help="where to write results and the gradebook")
    p.add_argument("--workers", type=int, default=None, help="students graded in parallel (default: 2, "
                                                              "or 1 on a single core)")
    place = p.add_mutually_exclusive_group()
    place.add_argument("--scheduler", metavar="ADDRESS", help="spread students over the workers of this Dask "
                       "scheduler (tcp://host:8786, or a scheduler file): docs/cluster.md")
    place.add_argument("--cluster", metavar="local:N", help="spread students over N Dask worker processes on this "
                       "machine (a LocalCluster on loopback)")
    p.add_argument("--detail", action="store_true", help="print every check, not only the failed ones (one "
                                                         "submission)")
    p.add_argument("--one", action="store_true", help="SUBMISSION is one student's work, wherever its exercise "
                                                      "files sit inside it (e.g. Gradescope's upload folder)")
    p.add_argument("--exercise", dest="exercises", action="append", metavar="EXERCISE",
                   help="grade only these exercises (repeatable)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser("validate", help="course CI: references earn full marks, stubs zero, files in sync")
    p.add_argument("exercises", nargs="*", metavar="EXERCISE")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("release", help="write the student bundle (no solutions, no hidden cases)")
    p.add_argument("--out", type=Path, required=True)

    p = sub.add_parser("gradescope", help="write a Gradescope autograder zip (setup.sh, run_autograder)")
    p.add_argument("--out", type=Path, required=True, help="the zip to write, e.g. autograder.zip")
    p.add_argument("--exercise", dest="exercises", action="append", metavar="EXERCISE",
                   help="only these exercises, an assignment's (repeatable; default: all)")

    p = sub.add_parser("generate", help="regenerate assignments/ from solutions/ and the specs")
    p.add_argument("--check", action="store_true", help="only report files that are out of date")

    p = sub.add_parser("export", help="a graded batch for an LMS gradebook (Canvas, Moodle), or its overview page")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for lms, name in (("canvas", "Canvas"), ("moodle", "Moodle")):
        a = actions.add_parser(lms, help=f"a CSV for {name}'s grade import; exit 1 if a submission or a roster "
                                         "student is left unmatched")
        a.add_argument("--grades", type=Path, required=True, help="the --out folder of `tfgrade grade`")
        a.add_argument("--roster", type=Path, required=True, help=f"the students, as a CSV {name} exports")
        a.add_argument("--out", type=Path, required=True, help="the CSV to write")
        a.add_argument("--assignment", default="tfgrade", help="the grade column's header: an existing assignment's "
                       "as the LMS exports it updates that assignment (default: tfgrade)")
    a = actions.add_parser("overview", help="rewrite GRADES/index.html from the results already there")
    a.add_argument("--grades", type=Path, required=True, help="the --out folder of `tfgrade grade`")

    p = sub.add_parser("nbgrader", help="an nbgrader course from the same sources, and its grades checked")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("init", help="write nbgrader_config.py and source/ASSIGNMENT/ with one notebook per "
                                        "exercise")
    a.add_argument("course", type=Path, metavar="COURSE_DIR")
    a.add_argument("--assignment", default="keras", help="the nbgrader assignment's name (default: keras)")
    a.add_argument("--exercise", dest="exercises", action="append", metavar="EXERCISE",
                   help="only these exercises (repeatable)")
    a = actions.add_parser("reconcile", help="compare nbgrader's gradebook with tfgrade's grades of the "
                                             "submitted notebooks; exit 1 on any mismatch")
    a.add_argument("course", type=Path, metavar="COURSE_DIR")
    a.add_argument("--assignment", required=True)
    a.add_argument("--grades", type=Path, required=True, help="the --out folder of `tfgrade grade COURSE_DIR/"
                                                              "submitted`")
    a.add_argument("--write", action="store_true", help="make tfgrade's scores the gradebook's (manual scores)")
    return parser


def main(argv: list[str] | None = None) -> int:
    quiet.set_quiet_environment()
    args = build_parser().parse_args(argv)
    from autograder import commands

    command = getattr(commands, args.command)
    options = {k: v for k, v in vars(args).items() if k != "command"}
    try:
        return command.main(**options)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"tfgrade {args.command}: {exc}", file=sys.stderr)
        return 2
    except ReferenceFailure as exc:
        print(f"tfgrade {args.command}: the course itself is broken, not your work: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # `tfgrade check --json | head` closed the pipe: stop quietly, as `cat` does
        _discard_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for a command cut off this way


def _discard_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush cannot raise on the closed pipe again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())

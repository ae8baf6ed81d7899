"""One module per ``tfgrade`` subcommand, each with a keyword-only ``main(...) -> int``."""

from autograder.commands import check, daemon, export, generate, grade, gradescope, nbgrader, release, validate
from autograder.commands import listing as list  # noqa: A001 - the subcommand's name

__all__ = ["check", "daemon", "export", "generate", "grade", "gradescope", "list", "nbgrader", "release", "validate"]

"""One module per ``tfgrade`` subcommand, each with a keyword-only ``main(...) -> int``."""


class UsageError(Exception):
    """A problem with what the user asked for; printed without a traceback, exit code 2."""


from autograder.commands import check, daemon, generate, grade, gradescope, nbgrader, release, validate  # noqa: E402
from autograder.commands import listing as list  # noqa: E402,A001 - the subcommand's name

__all__ = ["check", "daemon", "generate", "grade", "gradescope", "list", "nbgrader", "release", "validate", "UsageError"]

"""Old path of ``autograder.sandbox.quiet``: ``nbgrader_config.py`` files written before the package split
import it."""

from autograder.sandbox.quiet import set_quiet_environment, silence_python_loggers  # noqa: F401

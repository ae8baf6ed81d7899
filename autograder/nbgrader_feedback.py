"""Old path of ``autograder.notebooks.feedback``: ``nbgrader_config.py`` files written before the package
split import it."""

from autograder.notebooks.feedback import WithholdHiddenTests  # noqa: F401

"""Old path of ``autograder.notebooks.kernel``: notebooks released before the package split import it."""

from autograder.notebooks.kernel import CheckFailed, check, describe, quiet_kernel  # noqa: F401

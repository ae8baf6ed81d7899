"""The exceptions that cross layers, under one root, as Hypothesis keeps them in ``errors.py``.

Exceptions that never leave their module (a child's ``WrongReturn``, the kernel's ``CheckFailed``)
stay beside the code that raises them.
"""


class TfgradeError(Exception):
    """Root of the kit's own exceptions."""


class UsageError(TfgradeError):
    """A problem with what the user asked for; printed without a traceback, exit code 2."""


class ReferenceFailure(TfgradeError, RuntimeError):
    """The reference solution itself failed: a bug in the kit or the course, never the student's."""


class BadSubmission(TfgradeError):
    """A submission that cannot be opened at all (a corrupt or hostile archive)."""


class BadArtifact(TfgradeError):
    """A file handed back by a child is missing, too large, or not what it should be."""


class ArtifactMissing(BadArtifact):
    """A file a child should have handed back is not there at all."""


class ArtifactTooLarge(BadArtifact):
    """A file a child handed back is larger than the grader reads."""


class NotANotebook(TfgradeError, ValueError):
    """A file that cannot be read as a Jupyter notebook."""


class MarkerError(TfgradeError, ValueError):
    """Unbalanced or nested region markers."""


class DaemonUnavailable(TfgradeError, RuntimeError):
    """No warm grader could be reached or started; the caller grades in its own process instead."""

"""tfgrade: graded TensorFlow/Keras exercises and an autograder that never runs student code in-process.

The public surface is small: the ``tfgrade`` command (``autograder.cli``) and, for exercise authors,
the declarative specification types in ``autograder.exercise`` and ``autograder.checks``.
Nothing here imports TensorFlow: only the child processes do (see ``autograder.sandbox``).
"""

__version__ = "0.1.0"

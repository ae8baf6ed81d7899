"""Imported once by the forkserver, so that every child starts with TensorFlow already loaded.

Nothing here may run a TensorFlow op: a process that has run one cannot be forked safely.
"""

import os
import sys

from autograder.sandbox import quiet

quiet.set_quiet_environment()
quiet.silence_python_loggers()

# TensorFlow prints a few lines to stderr while importing even when asked not to; the forkserver's
# stderr is the user's terminal, so import with it pointed at /dev/null.
_saved = os.dup(2)
_null = os.open(os.devnull, os.O_WRONLY)
os.dup2(_null, 2)
# Keras imports matplotlib.pyplot and scikit-learn when it can, for plotting helpers and scikit-learn
# wrappers no exercise uses. Both are hidden while Keras loads, then released, so a student's own
# `import matplotlib` or `import sklearn` still works (only `keras.wrappers.SKLearnClassifier` and its
# kin then say scikit-learn is missing). The grader reads its datasets from the files `autograder.course.datasets`
# keeps, so it needs neither: this start takes 3.2-3.5 s here instead of 4.3-4.6 s.
_HIDDEN_FROM_KERAS = ("matplotlib", "sklearn")
_hidden = [name for name in _HIDDEN_FROM_KERAS if sys.modules.setdefault(name, None) is None]  # type: ignore[arg-type]
try:
    import keras  # noqa: F401,E402
    import numpy  # noqa: F401,E402
    import tensorflow  # noqa: F401,E402

    # The kit's child code and every observation class a measuring child unpickles. Never the exercise
    # specs: they hold the hidden cases, and every child forked from here would carry them.
    import autograder.children.measure  # noqa: F401,E402
    import autograder.children.run  # noqa: F401,E402
    import autograder.spec  # noqa: F401,E402
finally:
    for _name in _hidden:
        del sys.modules[_name]
    os.dup2(_saved, 2)
    os.close(_saved)
    os.close(_null)

quiet.silence_python_loggers()

"""Changes files it may read but not write: the kit's permissions, times and extended attributes."""
import os
from pathlib import Path

import autograder

TARGET = Path(autograder.__file__)


def _attack():
    outcomes = []
    for action in (lambda: os.chmod(TARGET, 0o777), lambda: os.utime(TARGET, (0, 0)),
                   lambda: os.chown(TARGET, 65534, 65534), lambda: os.setxattr(TARGET, "user.tfgrade", b"x"),
                   lambda: os.mkfifo("stdout.txt.fifo"), lambda: os.symlink("/", "root")):
        try:
            action()
            outcomes.append("done")
        except OSError as exc:
            outcomes.append(type(exc).__name__)
    raise PermissionError(f"attacks: {sorted(set(outcomes))}")


def build_classifier(num_features, num_classes, units):
    _attack()


def dense_param_count(inputs, units):
    _attack()

"""Keep TensorFlow's and Keras' log noise away from the people reading our output.

TensorFlow's C++ logging reads its level from the environment when it is first imported, so the
variables must be set before any process imports it; child processes inherit them from the parent.
"""

import logging
import os
import warnings

QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO/WARNING/ERROR lines such as the CPU feature banner
    "KERAS_BACKEND": "tensorflow",
    "PYTHONWARNINGS": "ignore",
    "GRPC_VERBOSITY": "ERROR",
    "ABSL_MIN_LOG_LEVEL": "3",
}


def set_quiet_environment() -> None:
    """Set the variables for this process and every process it starts."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


def silence_python_loggers() -> None:
    """Mute the Python-side warnings and loggers of TensorFlow, Keras and absl in this process."""
    warnings.filterwarnings("ignore")
    for name in ("tensorflow", "keras", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)

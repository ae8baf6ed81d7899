"""The installed versions of the libraries that decide a measurement: one answer for the reference cache's
key, the Gradescope zip's pins and each result's ``environment``."""

from __future__ import annotations

from importlib import metadata

MEASURING = ("tensorflow", "keras", "numpy", "scikit-learn")  # a different version may measure differently
TENSORFLOW_DISTRIBUTIONS = ("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tensorflow-macos", "tf-nightly",
                            "tf-nightly-cpu")


def installed(package: str) -> str:
    """The installed version of a distribution, ``-`` when it is missing. ``tensorflow`` is the version of
    whichever distribution installs the ``tensorflow`` module (``tensorflow-cpu`` on Linux x86-64, as this
    kit installs it, ``tensorflow-intel``, ``tf-nightly``...), so a key that names ``tensorflow`` is the
    same wherever the same TensorFlow is installed."""
    for name in TENSORFLOW_DISTRIBUTIONS if package == "tensorflow" else (package,):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if package == "tensorflow":  # another build (tensorflow-rocm, a fork): whatever provides the module
        for name in sorted(metadata.packages_distributions().get("tensorflow", ())):
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
    return "-"

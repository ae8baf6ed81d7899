"""The course's own material: where its files are (``paths``), its datasets (``datasets``), the
models it hands students (``givens``) and the secret that keys the instructor's data (``secret``).
Imports nothing else of the kit but its exceptions."""

from autograder.course.paths import PACKAGE_DIR, PUBLIC_REFERENCE, Course, fingerprint

__all__ = ["PACKAGE_DIR", "PUBLIC_REFERENCE", "Course", "fingerprint"]

"""The course's own material: where its files are (``paths``), its datasets (``datasets``) and the
models it hands students (``givens``). Imports nothing else of the kit."""

from autograder.course.paths import PACKAGE_DIR, PUBLIC_REFERENCE, Course, fingerprint

__all__ = ["PACKAGE_DIR", "PUBLIC_REFERENCE", "Course", "fingerprint"]

"""Where a course's files are: the checkout (instructor) or the released bundle (student).

The course root is the folder that holds the ``autograder`` package (an editable install or a plain
checkout), unless ``TFGRADE_COURSE`` names another. An instructor's root has ``solutions/``; a
student's bundle has ``autograder/reference_public.json`` instead, written by ``tfgrade release``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import autograder

PACKAGE_DIR = Path(autograder.__file__).resolve().parent
PUBLIC_REFERENCE = PACKAGE_DIR / "reference_public.json"


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def locate(cls) -> "Course":
        return cls(Path(os.environ.get("TFGRADE_COURSE") or PACKAGE_DIR.parent).resolve())

    @property
    def assignments(self) -> Path:
        return self.root / "assignments"

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def cache(self) -> Path:
        return self.root / ".tfgrade" / "cache"

    @property
    def secret_file(self) -> Path:
        """The course secret (see ``autograder.course.secret``): instructor-only, never released."""
        return self.root / ".tfgrade" / "secret"

    @property
    def has_solutions(self) -> bool:
        return self.solutions.is_dir()


def fingerprint(*paths: Path) -> str:
    """A content hash of files and folders (``*.py`` inside folders, by their path there), for cache keys."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
            digest.update(file.read_bytes() if file.exists() else b"<missing>")
    return digest.hexdigest()

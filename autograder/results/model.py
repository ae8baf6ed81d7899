"""The result model: what grading decided, serializable to every target the kit writes.

``CheckResult`` -> ``ExerciseResult`` -> ``GradingResult``, each with ``to_dict``/``from_dict``
(``result.json``). Every other format consumes this model: ``results.gradescope``, ``results.files``
(CSV, JUnit), ``results.feedback`` (HTML) and ``results.terminal``.
Per-case details (both models' summaries, learning curves) travel with the result so that feedback
can show the student's model beside the reference's; renderers show hidden cases as pass/fail only.
"""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from autograder import __version__
from autograder.sandbox import confine
from autograder.spec import HIDDEN, PUBLIC


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    check_id: str  # "<case>.<kind>", e.g. "default.output_shapes"
    kind: str
    case: str
    title: str
    points: float
    possible: float
    passed: bool
    message: str
    visibility: str = PUBLIC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CheckResult":
        return cls(**d)

    def public_message(self) -> str:
        """What a student may read: hidden checks say only whether they passed."""
        if self.visibility == HIDDEN:
            return "hidden case" if self.passed else "failed (hidden case: details are withheld)"
        return self.message


@dataclass
class ExerciseResult:
    exercise: str
    title: str
    status: str  # "graded" | "error": error means no check could be run at all
    checks: list[CheckResult] = field(default_factory=list)
    message: str = ""  # why the exercise could not be graded, when status is "error"
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)  # per case: call, visibility, summaries, curves
    fingerprint: str = ""  # what decided this result (batch.exercise_fingerprint): unchanged, it is kept
    # The known mistake the failed checks match, named (grading.misconceptions); only when every case was graded.
    misconception: str = ""

    @property
    def score(self) -> float:
        return round(sum(check.points for check in self.checks), 4)

    @property
    def possible(self) -> float:
        return round(sum(check.possible for check in self.checks), 4)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def withheld(self) -> "ExerciseResult":
        """This result as a student may see it: hidden checks say only whether they passed, and hidden
        cases' inputs, models and curves are left out."""
        return replace(self, checks=[replace(check, message=check.public_message()) for check in self.checks],
                       details={name: case for name, case in self.details.items()
                                if case.get("visibility") != HIDDEN})

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "title": self.title, "status": self.status,
                "score": self.score, "possible": self.possible, "message": self.message,
                "seconds": round(self.seconds, 3), "checks": [c.to_dict() for c in self.checks],
                "details": self.details, "fingerprint": self.fingerprint, "misconception": self.misconception}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ExerciseResult":
        return cls(d["exercise"], d["title"], d["status"], [CheckResult.from_dict(c) for c in d["checks"]],
                   d.get("message", ""), d.get("seconds", 0.0), d.get("details", {}), d.get("fingerprint", ""),
                   d.get("misconception", ""))


@dataclass
class GradingResult:
    submission: str
    exercises: list[ExerciseResult]
    visibility: str  # "public" (tfgrade check) or "all" (tfgrade grade)
    fingerprint: str = ""  # content hash of the graded files: a batch rerun skips unchanged work
    graded_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    environment: dict[str, str] = field(default_factory=lambda: environment())

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 4)

    @property
    def possible(self) -> float:
        return round(sum(e.possible for e in self.exercises), 4)

    def exercise(self, exercise_id: str) -> ExerciseResult:
        return next(e for e in self.exercises if e.exercise == exercise_id)

    def to_dict(self) -> dict[str, Any]:
        return {"submission": self.submission, "score": self.score, "possible": self.possible,
                "visibility": self.visibility, "fingerprint": self.fingerprint, "graded_at": self.graded_at,
                "environment": self.environment,
                "exercises": [e.to_dict() for e in self.exercises]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GradingResult":
        return cls(d["submission"], [ExerciseResult.from_dict(e) for e in d["exercises"]], d["visibility"],
                   d.get("fingerprint", ""), d.get("graded_at", ""), d.get("environment", {}))


def environment() -> dict[str, str]:
    from autograder.course import versions as libraries

    versions = {"tfgrade": __version__, "python": platform.python_version(), "machine": platform.machine()}
    # TensorFlow whichever distribution installed it (tensorflow-cpu here): every library that measures.
    versions.update({package: libraries.installed(package) for package in libraries.MEASURING})
    # What confined the student's code on this machine, so that a grade says what it can be trusted for.
    versions["protections"] = ", ".join(confine.available()) or "none"
    return versions

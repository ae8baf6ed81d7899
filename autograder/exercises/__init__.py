"""The exercise registry: one module per exercise, named ``exNN_<slug>.py``, each defining ``EXERCISE``."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from autograder.spec import Exercise


@lru_cache(maxsize=None)
def all_exercises() -> tuple[Exercise, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("ex"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            exercise = module.EXERCISE
            if info.name != exercise.module_name:
                raise ValueError(f"{info.name}.py must be named after its exercise: {exercise.module_name}.py")
            found.append(exercise)
    return tuple(sorted(found, key=lambda e: e.number))


def get(exercise_id: str) -> Exercise:
    for exercise in all_exercises():
        if exercise.id == exercise_id:
            return exercise
    raise KeyError(exercise_id)


def select(names: list[str] | None) -> list[Exercise]:
    """Exercises by number, id or name; all of them when ``names`` is empty."""
    if not names:
        return list(all_exercises())
    chosen = []
    for name in names:
        matches = [e for e in all_exercises() if e.matches(name)]
        if not matches:
            known = ", ".join(f"{e.id} ({e.slug})" for e in all_exercises())
            raise LookupError(f"no exercise called {name!r}; known: {known}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen

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
            raise LookupError(f"no exercise called {name!r}{_suggestion(name)}; known: "
                              + ", ".join(f"{e.id} ({e.slug})" for e in all_exercises()))
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def _suggestion(name: str) -> str:
    """``; did you mean ex06 (conv2d)?`` for a near miss of a slug or module name."""
    import difflib

    names = {spelling: e for e in all_exercises() for spelling in (e.slug, e.module_name, e.concept.lower())}
    close = difflib.get_close_matches(name.strip().lower(), list(names), n=1, cutoff=0.6)
    return f"; did you mean {names[close[0]].id} ({names[close[0]].slug})?" if close else ""

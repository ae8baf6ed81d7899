"""A realistic batch of submissions for the benchmark, built reproducibly from the kit's own corpus.

The reference batch of ``benchmarks/grading.py`` grades copies of the reference solutions: every model's
architecture equals the reference's, so every grader-trained metric reuses the reference's training. A real
class differs. This module writes ``size`` submission folders shaped like ``assignments/`` (one ``.py`` per
chosen exercise), each of one of three kinds, in stated proportions (``--mix``, default 50,20,30):

- ``correct``: the reference solutions, byte for byte;
- ``alternative``: every exercise that has valid variants (the ``SAME`` lists of
  ``tests/exercises/test_*.py``, which must earn full marks) takes one of them at random; the others are the
  reference. A chosen set of exercises without any variant makes these equal to the reference (the manifest
  says so: ``changed`` is 0);
- ``wrong``: one to three exercises (at random, fewer when fewer of the chosen exercises declare any) take one
  of their spec's misconceptions (``Exercise.misconceptions``, the wrong submissions ``tests/contract.py``
  grades); the others are the reference.

A variant becomes a file the way the tests make it one: ``tests/helpers.mutate`` (the reference with each
``(old, new)`` edit applied), imported, not copied. Kinds are dealt exactly (largest remainders: 20
submissions at 50,20,30 are 10, 4 and 6), then shuffled; every choice comes from one ``random.Random(seed)``,
so the same seed, size, mix and exercises write byte-identical folders. Importing the test modules for their
``SAME`` lists needs pytest (a test dependency), not TensorFlow.

    python benchmarks/corpus.py OUT --size 20 --seed 2026 --mix 50,20,30 [--exercise N ...] [--manifest FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
for _path in (ROOT, TESTS):  # the kit, and the tests' helpers (``from helpers import ...``)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

KINDS = ("correct", "alternative", "wrong")
DEFAULT_MIX = (50, 20, 30)
DEFAULT_SEED = 2026
MAX_MISTAKES = 3
REFERENCE = "reference"


@dataclass
class Planned:
    """One submission: its folder name, kind, and what each exercise file holds (``reference``,
    ``same: <variant>`` or ``wrong: <misconception>``)."""

    name: str
    kind: str
    files: dict[str, str] = field(default_factory=dict)
    edits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> list[str]:
        """The exercises whose file is not the reference's."""
        return [exercise for exercise, what in self.files.items() if what != REFERENCE]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "files": dict(self.files), "changed": len(self.changed)}


def parse_mix(text: str | Sequence[int]) -> tuple[int, int, int]:
    """``"50,20,30"`` (correct, alternative-correct, wrong; any non-negative weights, not all zero)."""
    parts = [int(p) for p in text.split(",")] if isinstance(text, str) else [int(p) for p in text]
    if len(parts) != len(KINDS) or min(parts) < 0 or sum(parts) == 0:
        raise ValueError(f"--mix takes three non-negative weights, correct,alternative,wrong (e.g. 50,20,30): {text!r}")
    return parts[0], parts[1], parts[2]


def apportion(size: int, mix: Sequence[int]) -> list[int]:
    """How many submissions of each kind: ``size`` split by the weights ``mix``, largest remainders first
    (ties to the earlier kind), so the counts add up to ``size`` exactly."""
    total = sum(mix)
    exact = [size * weight / total for weight in mix]
    counts = [int(x) for x in exact]
    order = sorted(range(len(mix)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: size - sum(counts)]:
        counts[i] += 1
    return counts


# ------------------------------------------------------------------------------------- the kit's corpus


def exercises(selection: Sequence[str] | None = None) -> list[Any]:
    """The chosen exercises (numbers, ids or names; all when empty), in the kit's order whatever the order
    they are named in, so that the same set draws the same batch."""
    from autograder import exercises as registry

    return sorted(registry.select(list(selection) if selection else None), key=lambda e: e.number)


def valid_variants(exercise: Any) -> list[Any]:
    """The ``SAME`` list (``tests/equivalent.Same``) of the exercise's test module, or none."""
    path = TESTS / "exercises" / f"test_{exercise.filename}"
    if not path.exists():
        return []
    name = f"_tfgrade_corpus_{path.stem}"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return list(getattr(module, "SAME", []))


def wrong_variants(exercise: Any) -> list[Any]:
    """The misconceptions the exercise's spec declares that are edits of the reference."""
    return [m for m in exercise.misconceptions if m.edits]


def reference_bytes(exercise: Any) -> bytes:
    from helpers import COURSE

    return (COURSE.solutions / exercise.filename).read_bytes()


def variant_bytes(exercise: Any, edits: tuple[tuple[str, str], ...]) -> bytes:
    """The file a variant is, made as the tests make it (``helpers.mutate``)."""
    from helpers import mutate

    return mutate(exercise.id, *edits).encode()


# ------------------------------------------------------------------------------------------- planning


def plan(size: int, seed: int = DEFAULT_SEED, mix: Sequence[int] = DEFAULT_MIX,
         selection: Sequence[str] | None = None) -> list[Planned]:
    """What each of ``size`` submissions holds; no file is written."""
    if size < 0:
        raise ValueError("the batch size must be at least 0")
    chosen = exercises(selection)
    rng = random.Random(seed)
    kinds = [kind for kind, count in zip(KINDS, apportion(size, parse_mix(mix))) for _ in range(count)]
    rng.shuffle(kinds)
    same = {e.id: valid_variants(e) for e in chosen}
    wrong = {e.id: wrong_variants(e) for e in chosen}
    fallible = [e.id for e in chosen if wrong[e.id]]
    width = max(2, len(str(max(size - 1, 0))))
    planned = []
    for index, kind in enumerate(kinds):
        submission = Planned(f"student{index:0{width}d}", kind, {e.id: REFERENCE for e in chosen})
        if kind == "alternative":
            for exercise in chosen:
                if same[exercise.id]:
                    variant = rng.choice(same[exercise.id])
                    submission.files[exercise.id] = f"same: {variant.name}"
                    submission.edits[exercise.id] = tuple(variant.edits)
        elif kind == "wrong" and fallible:
            for exercise_id in sorted(rng.sample(fallible, rng.randint(1, min(MAX_MISTAKES, len(fallible))))):
                misconception = rng.choice(wrong[exercise_id])
                submission.files[exercise_id] = f"wrong: {misconception.name}"
                submission.edits[exercise_id] = tuple(misconception.edits)
        planned.append(submission)
    return planned


def write(folder: Path, planned: list[Planned]) -> Path:
    """One folder per planned submission under ``folder`` (which must not hold them yet)."""
    by_id = {e.id: e for e in exercises()}
    folder.mkdir(parents=True, exist_ok=True)
    for submission in planned:
        student = folder / submission.name
        student.mkdir()
        for exercise_id, what in submission.files.items():
            exercise = by_id[exercise_id]
            if what == REFERENCE:
                data = reference_bytes(exercise)
            else:
                data = variant_bytes(exercise, submission.edits[exercise_id])
            (student / exercise.filename).write_bytes(data)
    return folder


def build(folder: Path, size: int, seed: int = DEFAULT_SEED, mix: Sequence[int] = DEFAULT_MIX,
          selection: Sequence[str] | None = None) -> list[Planned]:
    """Plans and writes the batch; returns the plan (``Planned.to_dict`` for a manifest)."""
    planned = plan(size, seed, mix, selection)
    write(folder, planned)
    return planned


def summary(planned: list[Planned]) -> dict[str, Any]:
    """Counts per kind, files that differ from the reference, and mistakes per wrong submission."""
    wrong = [len(p.changed) for p in planned if p.kind == "wrong"]
    return {"kinds": {kind: sum(p.kind == kind for p in planned) for kind in KINDS},
            "files": sum(len(p.files) for p in planned),
            "changed_files": sum(len(p.changed) for p in planned),
            "mistakes": {str(n): wrong.count(n) for n in range(1, MAX_MISTAKES + 1)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/corpus.py", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the submissions in (must not hold them yet)")
    parser.add_argument("--size", type=int, default=20, help="submissions (default 20)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--mix", default=",".join(map(str, DEFAULT_MIX)),
                        help="weights of correct,alternative,wrong submissions (default 50,20,30)")
    parser.add_argument("--exercise", dest="exercises", action="append", default=None, metavar="N",
                        help="only these exercises (repeatable; number, id or name)")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="also write what each submission holds here, as JSON (keep it outside OUT)")
    args = parser.parse_args(argv)
    try:
        mix = parse_mix(args.mix)
    except ValueError as exc:
        parser.error(str(exc))
    planned = build(args.out, args.size, args.seed, mix, args.exercises)
    if args.manifest:
        args.manifest.write_text(json.dumps({"seed": args.seed, "mix": list(mix), **summary(planned),
                                             "submissions": [p.to_dict() for p in planned]}, indent=1))
    counts = summary(planned)["kinds"]
    print(f"{len(planned)} submissions in {args.out}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

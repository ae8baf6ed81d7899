"""Probes of a checkpoint file.

The student's function saves a checkpoint under a file name the case gives, in its working directory (the case's run directory). This child loads that file as safely as any model (fixed name from the specification, no symlinks, safe_mode=True, compile=False) and re-measures it on the case's data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.errors import BadArtifact
from autograder.measure import loading
from autograder.measure.observations import Context, Observation, accuracy, measured_property


@dataclass(frozen=True)
class CheckpointBest(Observation):
    """Whether the checkpoint file scores the best epoch's validation accuracy (``saves_best``), and how
    many epochs the history recorded with it (``epochs``)."""

    dataset: str
    filename: str
    monitor: str = "val_accuracy"
    kind: ClassVar[str] = "checkpoint_best"

    @property
    def key(self) -> str:
        return f"checkpoint_best:{self.dataset}/{self.filename}/{self.monitor}"

    def measure(self, context: Context) -> Any:
        from autograder.course import datasets

        history = loading.load_history(context.run_dir)
        values = history.get(self.monitor)
        if not values:
            raise ValueError(f"the history has no {self.monitor!r}: pass validation data and "
                             f"metrics=['accuracy'] (keys: {', '.join(sorted(history)) or 'none'})")
        epochs = measured_property(len(values), f"training ran {len(values)} epochs with validation")
        try:
            model = loading.load_model_file(context.run_dir, self.filename)
        except BadArtifact as exc:
            return {"saves_best": measured_property(False, str(exc)), "epochs": epochs}
        splits = datasets.load(self.dataset, seed=context.seed)
        now = accuracy(model, splits.x_val, splits.y_val)
        best, best_epoch, last = max(values), values.index(max(values)) + 1, values[-1]
        saved_best = abs(now - best) <= 0.5 / len(splits.y_val)  # one example changes it by 1/len
        where = f"epoch {best_epoch} of {len(values)}; the last epoch had {last:.4f}"
        note = (f"the checkpoint {self.filename} scores the best epoch's {self.monitor} {best:.4f} ({where})"
                if saved_best else f"the checkpoint {self.filename} scores {self.monitor} {now:.4f}, but the best "
                                   f"epoch had {best:.4f} ({where})")
        return {"saves_best": measured_property(saved_best, note), "epochs": epochs}


@dataclass(frozen=True)
class CheckpointEvaluated(Observation):
    """Accuracy of the checkpoint file on a split of the case's data (by default ``test``, which the
    student's process never received)."""

    dataset: str
    filename: str
    split: str = "test"
    kind: ClassVar[str] = "checkpoint_evaluated"

    @property
    def key(self) -> str:
        return f"checkpoint_evaluated:{self.dataset}/{self.filename}/{self.split}"

    def measure(self, context: Context) -> Any:
        from autograder.course import datasets

        splits = datasets.load(self.dataset, seed=context.seed)
        model = loading.load_model_file(context.run_dir, self.filename)
        return {"metric": accuracy(model, splits.array(self.split, "x"), splits.array(self.split, "y"))}

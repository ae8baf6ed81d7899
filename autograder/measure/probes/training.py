"""Probes of training that the student's code configures or runs: evidence the grader makes itself.

A history or a checkpoint handed back by the student's process can be forged, so none is believed
alone. ``Replayed`` rebuilds the student's callback from its plain settings (never code) and trains the
task's given model on the case's data with it, under the case's seed: the epochs it ran, the epoch
whose weights it kept and their held-out accuracy are the grader's own. ``TrainingRun`` takes what the
student's own training handed back, which ``checks.HistoryMatches`` and ``checks.WeightsMatch``
compare with the reference's run on the same inputs: only the training the task asks for reproduces
every epoch's values and the kept weights (the same model, data, batch size and seed train to the same
bits), so a fabricated history, other data, another batch size or epoch cap each show as a difference.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from autograder.measure import loading
from autograder.measure.observations import Context, Observation, accuracy, measured_property, predictions

REPLAYABLE = ("EarlyStopping", "ModelCheckpoint")  # Keras' own callbacks the grader rebuilds
CHECKPOINT_SUFFIXES = (".weights.h5", ".keras", ".h5")
PROBE_ROWS = 64  # held-out examples whose predictions stand for a model's weights
LOSS_MATCH = 1e-3  # relative: a re-measured val_loss within this of an epoch's logged one is that epoch


@dataclass(frozen=True)
class CallbackSettings(Observation):
    """The returned callback: its class and the settings it was constructed with."""

    kind: ClassVar[str] = "callback"

    def measure(self, context: Context) -> Any:
        return loading.load_callback(context.run_dir)


@dataclass(frozen=True)
class Replayed(Observation):
    """The grader trains ``given`` (a ``spec.GivenModel``) on the case's data for up to ``epochs`` epochs
    of ``batch_size`` with the returned callback: ``run`` (epochs run), ``kept`` (the epoch whose
    weights the model, or the checkpoint file, holds afterwards) and ``metric`` (their test accuracy)."""

    given: Any
    dataset: str
    epochs: int
    batch_size: int = 32
    kind: ClassVar[str] = "replayed"

    @property
    def key(self) -> str:
        return f"replayed:{self.given.factory}/{self.dataset}/e{self.epochs}/b{self.batch_size}"

    def describe(self) -> str:
        return (f"the grader's own training with your callback: up to {self.epochs} epochs, batch "
                f"{self.batch_size}, on {self.dataset}")

    def measure(self, context: Context) -> Any:
        from autograder.course import datasets
        from autograder.sandbox import determinism, scratch

        callback = loading.load_callback(context.run_dir)
        splits = datasets.load(self.dataset, seed=context.seed)
        with scratch.temporary_directory(prefix="tfgrade-replay-") as folder:
            rebuilt, checkpoint = rebuild_callback(callback, Path(folder))
            model = self.given.materialize(context.seed)  # seeded as the run child seeds it
            determinism.seed_everything(context.seed)
            history = model.fit(splits.x_train, splits.y_train, validation_data=(splits.x_val, splits.y_val),
                                epochs=self.epochs, batch_size=self.batch_size, callbacks=[rebuilt],
                                verbose=0).history
            kept = _load_checkpoint(checkpoint, model) if checkpoint else model  # in memory: the folder goes
        described = describe_callback(callback)
        epochs = len(history.get("loss", []))
        run_note = f"trained with {described}, training ran {epochs} of {self.epochs} epochs"
        return {"run": measured_property(epochs, run_note),
                "kept": _kept_epoch(kept, splits, history, described, checkpoint),
                "metric": accuracy(kept, splits.x_test, splits.y_test) if kept is not None else 0.0}


@dataclass(frozen=True)
class TrainingRun(Observation):
    """What the student's own training handed back: the history, and predictions on held-out examples
    of the returned model (or of the checkpoint file ``filename`` it saved), standing for its weights."""

    dataset: str
    filename: str = ""
    kind: ClassVar[str] = "training_run"

    @property
    def key(self) -> str:
        return f"training_run:{self.dataset}/{self.filename}"

    def measure(self, context: Context) -> Any:
        from autograder.course import datasets
        from autograder.errors import BadArtifact

        history = loading.load_history(context.run_dir)
        try:
            model = (loading.load_model_file(context.run_dir, self.filename) if self.filename
                     else context.model())
            rows = predictions(model, datasets.load(self.dataset, seed=context.seed).x_test[:PROBE_ROWS])
            probe: Any = [round(float(v), 6) for v in rows.reshape(-1)]
        except BadArtifact as exc:
            probe = str(exc)
        return {"history": history, "predictions": probe}


def rebuild_callback(callback: dict[str, Any], folder: Path) -> tuple[Any, Path | None]:
    """A Keras callback of a replayable class from its plain settings; a checkpoint writes into
    ``folder`` under a fixed name with the student's suffix, never the student's path."""
    import keras

    name = callback["class_name"]
    if name not in REPLAYABLE:
        raise ValueError(f"the function returned a {name} callback; the task asks for "
                         f"{' or '.join(REPLAYABLE)}")
    cls = getattr(keras.callbacks, name)
    accepted = inspect.signature(cls.__init__).parameters
    settings = {k: v for k, v in callback["settings"].items() if k in accepted and k != "verbose"}
    checkpoint = None
    if name == "ModelCheckpoint":
        path = str(settings.get("filepath", ""))
        suffix = next((s for s in CHECKPOINT_SUFFIXES if path.endswith(s)), None)
        if suffix is None or "{" in path:
            raise ValueError(f"the checkpoint path {path!r} is not one file ending in .keras")
        checkpoint = settings["filepath"] = folder / f"replay{suffix}"
    try:
        return cls(**settings), checkpoint
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{describe_callback(callback)} cannot be rebuilt: {exc}") from None


def describe_callback(callback: dict[str, Any]) -> str:
    """``EarlyStopping(monitor='val_loss', patience=3, ...)``: the settings that differ from the defaults."""
    import keras

    cls = getattr(keras.callbacks, callback["class_name"], None)
    defaults = {} if cls is None else {k: p.default for k, p in inspect.signature(cls.__init__).parameters.items()}
    shown = [f"{k}={v!r}" for k, v in callback["settings"].items()
             if k not in ("verbose", "filepath") and (k not in defaults or defaults[k] != v)]
    return f"{callback['class_name']}({', '.join(shown)})"


def _load_checkpoint(path: Path, model: Any) -> Any:
    import keras

    if not path.exists():
        return None  # never saved: e.g. a monitor that no epoch logged
    if path.name.endswith(".weights.h5"):
        model.load_weights(path)
        return model
    return keras.saving.load_model(path, compile=False)  # the grader's own file, written just now


def _kept_epoch(kept: Any, splits: Any, history: dict[str, list[float]], described: str,
                checkpoint: Path | None) -> dict[str, Any]:
    """The epoch whose logged val_loss the kept weights reproduce (0: none, e.g. nothing was saved)."""
    what = "the checkpoint file" if checkpoint else "the model after training"
    if kept is None:
        return measured_property(0, f"with {described}, no checkpoint was saved")
    logged = history.get("val_loss") or []
    now = _val_loss(kept, splits)
    epoch = min(range(len(logged)), key=lambda i: abs(logged[i] - now), default=None)
    if epoch is None or abs(logged[epoch] - now) > LOSS_MATCH * max(1.0, abs(now)):
        return measured_property(0, f"with {described}, {what} holds weights of no epoch")
    best = min(range(len(logged)), key=lambda i: (logged[i], i))
    where = ("the last" if epoch == len(logged) - 1 else "the lowest val_loss" if epoch == best else "neither the "
             "last nor the lowest val_loss")
    return measured_property(epoch + 1, f"with {described}, {what} holds epoch {epoch + 1}'s weights "
                                        f"({where} of {len(logged)} epochs)")


def _val_loss(model: Any, splits: Any) -> float:
    import keras

    probabilities = predictions(model, splits.x_val)
    loss = (keras.losses.BinaryCrossentropy() if probabilities.shape[-1] == 1
            else keras.losses.SparseCategoricalCrossentropy())
    return float(loss(splits.y_val, probabilities))

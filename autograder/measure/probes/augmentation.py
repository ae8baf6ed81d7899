"""Probes of data augmentation.

What a student's code returns is never believed: this child rebuilds the inputs a case gave (from the case's seed) or applies a returned augmentation model itself. Each property is measured as {"value": ..., "note": "..."} so that ``checks.PropertyMatches`` compares the value with the reference's and quotes the note; "batch" holds the augmented images (rounded) for ``checks.BatchMatches``. A property that cannot be measured because another failed first (pixels cannot be compared with inputs of another shape) is "not assessed", naming that property, rather than failed with advice that does not apply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.measure import loading
from autograder.measure.observations import Context, Observation, measured_property, not_assessed

PIXEL_CHANGED = 1e-4  # an image whose pixels all moved less than this counts as unchanged


@dataclass(frozen=True)
class AugmentedBatch(Observation):
    """A batch returned as ``(x, y)`` by a function that was given ``images`` and ``labels`` (the same
    ``DataArray``s the case passes): its shape, whether the labels are the inputs' in order, how many
    images changed, and the images themselves. A batch of fewer images than the inputs (flow()'s default
    batch size) is compared with the first inputs: only its shape is wrong."""

    images: Any
    labels: Any
    kind: ClassVar[str] = "augmented_batch"

    @property
    def key(self) -> str:
        return f"augmented_batch:{self.images}/{self.labels}"

    def measure(self, context: Context) -> Any:
        import numpy as np

        inputs = np.asarray(self.images.materialize(context.seed), dtype=np.float64)
        labels = np.asarray(self.labels.materialize(context.seed)).reshape(-1)
        x, y = _returned_pair(loading.load_value(context.run_dir))
        shape = f"x has shape {_shape_text(x.shape)} for inputs of shape {_shape_text(inputs.shape)}"
        first = x.ndim == inputs.ndim and x.shape[1:] == inputs.shape[1:] and 0 < len(x) <= len(inputs)
        return {"shape": measured_property(list(x.shape), shape),
                "labels_kept": _labels_kept(x, y, labels, shape),
                "pixels_changed": (_pixels_changed(x, inputs[:len(x)], "the returned batch") if first
                                   else not_assessed("shape", shape)),
                "batch": _rounded(x)}


@dataclass(frozen=True)
class AugmenterProbe(Observation):
    """A returned augmentation model applied here to ``count`` test images of ``dataset``, which the
    student's process never received: in training mode by two copies loaded under different global seeds
    (only seeded random layers agree), and in inference mode, where augmentation must do nothing."""

    dataset: str
    count: int = 32
    kind: ClassVar[str] = "augmenter"

    @property
    def key(self) -> str:
        return f"augmenter:{self.dataset}/{self.count}"

    def measure(self, context: Context) -> Any:
        import numpy as np
        from keras import ops

        from autograder.course import datasets
        from autograder.sandbox import determinism

        batch = datasets.load(self.dataset, seed=context.seed).x_test[: self.count]
        copies = []
        for global_seed in (1001, 1002):  # unseeded random layers draw their seed from these
            determinism.seed_everything(global_seed)
            copies.append(loading.load_model(context.run_dir))
        augmented = np.asarray(ops.convert_to_numpy(copies[0](batch, training=True)), dtype=np.float64)
        again = np.asarray(ops.convert_to_numpy(copies[1](batch, training=True)), dtype=np.float64)
        inference = np.asarray(ops.convert_to_numpy(copies[0](batch, training=False)), dtype=np.float64)
        shape = f"training=True turned {_shape_text(batch.shape)} images into {_shape_text(augmented.shape)}"
        kept = augmented.shape == batch.shape
        # A layer that changes the shape in both modes is one mistake: shape_kept names it; pixels cannot be
        # compared with the inputs' in either mode.
        changed = _pixels_changed(augmented, batch, "training=True") if kept else not_assessed("shape_kept", shape)
        identity = _identity(inference, batch) if kept or inference.shape == batch.shape else not_assessed(
            "shape_kept", f"{shape}, and training=False into {_shape_text(inference.shape)}")
        return {"shape_kept": measured_property(kept, shape),
                "pixels_changed": changed,
                "identity_at_inference": identity,
                "reproducible": _reproducible(augmented, again),
                "batch": _rounded(augmented)}


def _returned_pair(value: Any) -> tuple[Any, Any]:
    import numpy as np

    if isinstance(value, dict) and {"x", "y"} <= value.keys():
        value = [value["x"], value["y"]]
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("expected the pair (x, y): the augmented images and their labels")
    try:
        return np.asarray(value[0], dtype=np.float64), np.asarray(value[1], dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError("expected the pair (x, y) of numeric arrays: the augmented images and their labels") \
            from None


def _labels_kept(x: Any, y: Any, labels: Any, shape: str) -> dict[str, Any]:
    """Whether the labels returned are the inputs', in order: all of them, or those of the first images when the
    batch holds fewer images (``shape`` fails for that)."""
    images = len(x) if x.ndim else 0
    if len(y) != images:
        return measured_property(False, f"{len(y)} labels were returned for {images} images")
    if images > len(labels):
        return not_assessed("shape", shape)
    differing = int((y != labels[:images]).sum())
    if differing:
        return measured_property(False, f"{differing} of {images} labels differ from the inputs' labels at the same "
                                        f"position (were the images shuffled?)")
    if images < len(labels):
        return measured_property(True, f"the {images} labels are the first {images} inputs', in the same order")
    return measured_property(True, f"all {len(labels)} labels are the inputs', in the same order")


def _pixels_changed(x: Any, inputs: Any, what: str) -> dict[str, Any]:
    """Whether most images changed; ``x`` and ``inputs`` have the same shape (else it is not assessed)."""
    moved = abs(x - inputs).reshape(len(x), -1).max(axis=1) if len(x) else abs(x)
    changed = int((moved > PIXEL_CHANGED).sum())
    largest = float(moved.max()) if len(x) else 0.0
    return measured_property(changed * 2 >= len(x) > 0, f"{what} changed {changed} of {len(x)} images (largest pixel "
                                                f"change {largest:.3f})")


def _identity(inference: Any, batch: Any) -> dict[str, Any]:
    if inference.shape != batch.shape:
        return measured_property(False, f"training=False turned {_shape_text(batch.shape)} images into "
                                f"{_shape_text(inference.shape)}")
    largest = float(abs(inference - batch).max()) if inference.size else 0.0
    if largest > PIXEL_CHANGED:
        return measured_property(False, f"training=False changed the images (largest pixel change {largest:.3f})")
    return measured_property(True, "training=False returned the images unchanged")


def _reproducible(first: Any, second: Any) -> dict[str, Any]:
    if first.shape == second.shape and (first.size == 0 or float(abs(first - second).max()) == 0.0):
        return measured_property(True, "two fresh copies of the model augmented the images identically")
    largest = float(abs(first - second).max()) if first.shape == second.shape else float("nan")
    return measured_property(False, f"two fresh copies of the model augmented the same images differently (largest "
                            f"difference {largest:.3f})")


def _rounded(x: Any) -> list:
    import numpy as np

    return np.round(x, 4).tolist()


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"

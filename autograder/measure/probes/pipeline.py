"""Probes of a tf.data pipeline's output.

The child handed back two epochs of what the student's dataset yielded (``loading.save_dataset``). This child rebuilds the features and labels the case gave (from the case's seed), finds which input example each yielded row comes from (its nearest input: the augmentation only adds small noise), and reports each property as {"value", "note"} for ``checks.PropertyMatches``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.measure import loading
from autograder.measure.observations import Context, Observation, measured_property


@dataclass(frozen=True)
class PipelineEpochs(Observation):
    """Properties of a pipeline that yields ``(features, labels)`` batches of the ``split`` of ``dataset``
    it was given: element spec, batch sizes, every example once with its label, the noise added,
    whether the order and noise change between epochs, and epoch 1's order (compared with the
    reference under the same seed)."""

    dataset: str
    split: str = "train"
    kind: ClassVar[str] = "pipeline_epochs"

    @property
    def key(self) -> str:
        return f"pipeline_epochs:{self.dataset}/{self.split}"

    def measure(self, context: Context) -> Any:
        from autograder.course import datasets
        from autograder.measure.summary import format_shape

        splits = datasets.load(self.dataset, seed=context.seed)
        x, y = splits.array(self.split, "x"), splits.array(self.split, "y")
        recorded = loading.load_dataset(context.run_dir)
        spec = _pipeline_spec_text(recorded)
        first_sizes = [_pipeline_batch_size(element) for element in recorded["epochs"][0]]
        result = {"element_spec": measured_property(spec, f"elements are {spec}"),
                  "batch_sizes": measured_property(first_sizes, _pipeline_sizes_note(first_sizes))}
        pairs = [_pipeline_pairs(elements, x.shape[1:]) for elements in recorded["epochs"]]
        if any(pair is None for pair in pairs):
            note = (f"the elements are not (features, labels) pairs with features shaped "
                    f"{format_shape(x.shape[1:])} like the inputs: {spec}")
            return result | {name: measured_property(None, note) for name in _PIPELINE_PAIR_PROPERTIES}
        orders = [_pipeline_nearest(features, x) for features, _ in pairs]
        return result | {
            "examples_intact": _pipeline_intact(pairs, orders, y),
            "augmented": _pipeline_noise(pairs, orders, x),
            "fresh_noise": _pipeline_fresh_noise(pairs, orders, x),
            "reshuffled": measured_property(orders[0].tolist() != orders[1].tolist(),
                                    "epoch 2 visits the examples in another order than epoch 1"
                                    if orders[0].tolist() != orders[1].tolist()
                                    else "epoch 2 visits the examples in the same order as epoch 1"),
            "seeded_order": measured_property(orders[0].tolist(), "epoch 1 visits the examples in the order "
                                      + ", ".join(str(i) for i in orders[0][:8]) + ", ..."),
        }


_PIPELINE_PAIR_PROPERTIES = ("examples_intact", "augmented", "fresh_noise", "reshuffled", "seeded_order")


def _pipeline_spec_text(recorded: dict[str, Any]) -> str:
    """``(float32 (None, 30), int32 (None,))``: each component's dtype and shape, in a tuple's brackets."""
    from autograder.measure.summary import format_shape

    parts = [f"{c.get('dtype')} {'?' if c.get('shape') is None else format_shape(tuple(c['shape']))}"
             for c in recorded["spec"]]
    structure = recorded["structure"]
    if structure.startswith("(") or len(parts) == 1:
        return f"({', '.join(parts)})" if structure.startswith("(") else parts[0]
    return f"{structure} of {', '.join(parts)}"


def _pipeline_batch_size(element: list[Any]) -> int:
    first = element[0]
    return int(first.shape[0]) if first.ndim else 1


def _pipeline_sizes_note(sizes: list[int]) -> str:
    if not sizes:
        return "an epoch yields nothing"
    if len(set(sizes[:-1])) <= 1:
        last = f" and a last one of {sizes[-1]}" if len(sizes) > 1 and sizes[-1] != sizes[0] else ""
        full = len(sizes) - (1 if last else 0)
        return f"an epoch yields {len(sizes)} batches: {full} of {sizes[0]}{last}"
    return f"an epoch yields {len(sizes)} batches of sizes {', '.join(map(str, sizes[:8]))}, ..."


def _pipeline_pairs(elements: list[list[Any]], feature_shape: tuple[int, ...]) -> tuple[Any, Any] | None:
    """All features and labels of one epoch, one row per example, or None if they are not such pairs."""
    import numpy as np

    features, labels = [], []
    for element in elements:
        if len(element) != 2:
            return None
        x, y = element
        if x.ndim == len(feature_shape):  # an unbatched element: one example
            x, y = x[None], y.reshape(1, *y.shape)
        if x.shape[1:] != tuple(feature_shape) or y.shape[:1] != x.shape[:1] or y.size != len(x):
            return None
        features.append(x.astype("float64"))
        labels.append(y.reshape(-1))
    if not features:
        return None
    return np.concatenate(features), np.concatenate(labels)


def _pipeline_nearest(features: Any, x: Any) -> Any:
    """For each yielded row, the index of the closest input example."""
    import numpy as np

    inputs = x.reshape(len(x), -1).astype("float64")
    rows = features.reshape(len(features), -1)
    norms = (inputs ** 2).sum(axis=1)
    nearest = [np.argmin(norms - 2 * chunk @ inputs.T, axis=1) for chunk in np.array_split(rows, max(1, len(rows) // 512))]
    return np.concatenate(nearest) if nearest else np.zeros(0, dtype=int)


def _pipeline_intact(pairs: list[tuple[Any, Any]], orders: list[Any], y: Any) -> dict[str, Any]:
    import numpy as np

    problems = []
    for epoch, ((_, labels), order) in enumerate(zip(pairs, orders), start=1):
        seen = np.bincount(order, minlength=len(y))
        missing, repeated = int((seen == 0).sum()), int((seen > 1).sum())
        relabelled = int((labels != y[order]).sum())
        found = [f"{missing} of the {len(y)} examples missing" if missing else "",
                 f"{repeated} repeated" if repeated else "",
                 f"{relabelled} yielded with another example's label" if relabelled else ""]
        if any(found):
            problems.append(f"epoch {epoch}: " + ", ".join(part for part in found if part))
    if problems:
        return measured_property(False, "; ".join(problems))
    return measured_property(True, f"each of the {len(pairs)} epochs yields all {len(y)} examples once, each with its own label")


def _pipeline_noise(pairs: list[tuple[Any, Any]], orders: list[Any], x: Any) -> dict[str, Any]:
    """The standard deviation of what augmentation added, rounded so that equal settings compare equal."""
    import numpy as np

    differences = np.concatenate([features - x[order] for (features, _), order in zip(pairs, orders)])
    changed = int((np.abs(differences.reshape(len(differences), -1)).max(axis=1) > 1e-6).sum())
    if not changed:
        return measured_property(0.0, "the features come out exactly as they went in: no augmentation was applied")
    spread = float(differences.std())
    return measured_property(round(spread, 2), f"the features differ from the inputs by noise of standard deviation "
                                       f"{spread:.3f} ({changed} of {len(differences)} yielded examples changed)")


def _pipeline_fresh_noise(pairs: list[tuple[Any, Any]], orders: list[Any], x: Any) -> dict[str, Any]:
    """Whether epoch 2 adds other noise to an example than epoch 1 did (augmentation inside the pipeline)."""
    import numpy as np

    noise = []
    for (features, _), order in zip(pairs, orders):
        by_example = np.full((len(x), *features.shape[1:]), np.nan)
        by_example[order] = features - x[order]
        noise.append(by_example)
    both = ~np.isnan(noise[0]) & ~np.isnan(noise[1])
    same = bool(both.any()) and np.allclose(noise[0][both], noise[1][both], atol=1e-6)
    if not both.any() or np.abs(noise[0][both]).max() <= 1e-6:
        return measured_property(False, "no example carries augmentation noise in both epochs")
    if same:
        return measured_property(False, "epoch 2 adds exactly the same noise to each example as epoch 1")
    return measured_property(True, "each epoch adds new noise to every example")

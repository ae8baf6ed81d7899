"""Probes of a tf.data pipeline's output.

The child handed back two epochs of what the student's dataset yielded (``loading.save_dataset``). This child
rebuilds the features and labels the case gave (from the case's seed), finds which input example each yielded row
comes from, and reports each property as {"value", "note"} for ``checks.PropertyMatches``.

Which input a row comes from: when a submission is graded, the reference's order for the same epoch is tried
first, and the rows follow it unless rows lie too far from their inputs in it for the noise measured (``_match``),
so noise ten times too large still leaves every row its input. Otherwise each row comes from its nearest input,
which is certain while the noise is small next to the distances between inputs (the reference's 0.1 per feature,
inputs at least 1.0 apart). A property that needs what cannot be known (the rows' inputs, noise, a new order) is
"not assessed", naming the property or step that failed first, rather than failed with advice that does not
apply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.measure import loading
from autograder.measure.observations import Context, Observation, measured_property, not_assessed

# A row whose nearest input beats the reference's choice of input by this many noise standard deviations refutes
# the reference's order for its epoch. Simulated on breast cancer rows with the reference's own order: no row
# refutes it at noise 0.3-1.0 per feature, at most one at 2.0 and 3.0 (60 epochs each); a random order is refuted
# by 230 or more of the 341 rows at 1.0, 80 at 2.0, 20 at 3.0.
REFUTING_Z = 5.0
REFUTING_SHARE = 0.01  # rows that may refute the order the rows still follow (one in a hundred)
# A nearest-input matching is trusted while the rows it probably gets wrong add up to less than this.
MAX_MISMATCHES = 0.5
MATCHING = "matching rows to inputs"  # the step that other properties need, named in their notes


@dataclass(frozen=True)
class PipelineEpochs(Observation):
    """Properties of a pipeline that yields ``(features, labels)`` batches of the ``split`` of ``dataset``
    it was given: element spec, batch sizes, every example once with its own label, the noise added,
    whether the order and noise change between epochs, and epoch 1's order (compared with the
    reference under the same seed). ``orders`` holds the input index of every row of both epochs, which
    the reference's observation lends a submission's as the order to try first."""

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
        first_sizes = [_pipeline_batch_size(element, x.ndim - 1) for element in recorded["epochs"][0]]
        result = {"element_spec": measured_property(spec, f"elements are {spec}"),
                  "batch_sizes": measured_property(sorted(first_sizes, reverse=True), _pipeline_sizes_note(first_sizes))}
        if not all(recorded["epochs"]):
            return result | {name: not_assessed("batch_sizes", "an epoch yields nothing")
                             for name in _PIPELINE_PAIR_PROPERTIES} | {"orders": None}
        pairs = [_pipeline_pairs(elements, x.shape[1:]) for elements in recorded["epochs"]]
        if any(pair is None for pair in pairs):
            why = (f"the elements are not (features, labels) pairs with features shaped {format_shape(x.shape[1:])} "
                   f"like the inputs: {spec}")
            return result | {name: not_assessed("element_spec", why) for name in _PIPELINE_PAIR_PROPERTIES} | {
                "orders": None}
        inputs = x.reshape(len(x), -1).astype("float64")
        between = _input_distances(inputs)
        tried = _reference_orders(context.reference.get(self.key), len(pairs), len(x))
        matchings = [_match(features, inputs, between, hypothesis)
                     for (features, _), hypothesis in zip(pairs, tried)]
        matched = all(matching.reliable for matching in matchings)
        return result | {
            "examples_intact": _pipeline_intact(pairs, matchings, y) if matched else _unmatched(matchings),
            "augmented": _pipeline_noise(pairs, matchings, x),
            "fresh_noise": _pipeline_fresh_noise(pairs, matchings, x) if matched else _unmatched(matchings),
            "reshuffled": _pipeline_reshuffled(matchings) if matched else _unmatched(matchings),
            "seeded_order": _pipeline_seeded_order(matchings, tried[0], len(x)),
            "orders": [matching.order.tolist() for matching in matchings] if matched else None,
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


def _pipeline_batch_size(element: list[Any], example_rank: int) -> int:
    """How many examples an element holds: 1 for an unbatched one (its first component has an example's rank)."""
    first = element[0]
    return int(first.shape[0]) if first.ndim > example_rank else 1


def _pipeline_sizes_note(sizes: list[int]) -> str:
    """What an epoch's batches hold, in the order they come. The property's value is the sizes largest first:
    where the smaller batch comes is the order's business (``seeded_order``), not the batching's."""
    if not sizes:
        return "an epoch yields nothing"
    if len(set(sizes[:-1])) <= 1:
        last = f" and a last one of {sizes[-1]}" if len(sizes) > 1 and sizes[-1] != sizes[0] else ""
        full = len(sizes) - (1 if last else 0)
        return f"an epoch yields {_batches(len(sizes))}: {full} of {sizes[0]}{last}"
    largest, smallest = max(sizes), min(sizes)
    if sizes.count(smallest) == 1 and sizes.count(largest) == len(sizes) - 1:
        return (f"an epoch yields {_batches(len(sizes))}: {len(sizes) - 1} of {largest} and one of {smallest} "
                f"(batch {sizes.index(smallest) + 1}, not the last)")
    return f"an epoch yields {_batches(len(sizes))} of sizes {', '.join(map(str, sizes[:8]))}, ..."


def _batches(count: int) -> str:
    return f"{count} batch" if count == 1 else f"{count} batches"


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


# --------------------------------------------------------------------------- which input each row comes from


@dataclass(frozen=True)
class _Matching:
    """Where one epoch's rows come from: ``order[k]`` is the input of row ``k``. ``followed``: the rows follow
    the order tried first (the reference's); ``reliable``: every row's input is known, because they follow it or
    because no row could as well come from another input; ``spread``: the root mean square, per feature, of each
    row's difference from its nearest input (the noise, while rows are matched right)."""

    order: Any
    followed: bool
    reliable: bool
    spread: float


def _match(features: Any, inputs: Any, between: Any, hypothesis: Any | None) -> _Matching:
    """Match one epoch's rows to ``inputs`` (one flattened input per row; ``between`` their distances).

    A row ``f = x_i + noise`` is ``|d|^2 + 2<d, noise>`` closer to its own input ``x_i`` than to another one at
    distance ``d``, in squared distance; the noise term is normal with standard deviation ``2 sigma |d|``. So a
    row whose nearest input beats the ``hypothesis``'s input by ``m`` refutes the hypothesis with
    ``z = (|d|^2 + m) / (2 sigma |d|)``; the rows follow the hypothesis if hardly any refutes it (with many rows,
    one may stray that far by chance: ``REFUTING_SHARE``) and many rows refute the same order shifted by one (else
    the noise hides every order). Without a hypothesis, or against it, each row comes from its nearest input,
    trusted while the rows likely matched wrong (each row's posterior chance that another input is its own) add
    up to less than ``MAX_MISMATCHES``."""
    import numpy as np

    rows = features.reshape(len(features), -1)
    count, dims = rows.shape
    nearest, closest = np.zeros(count, dtype=int), np.zeros(count)
    for start, distances in _chunks(rows, inputs):
        nearest[start:start + len(distances)] = distances.argmin(axis=1)
        closest[start:start + len(distances)] = distances.min(axis=1)
    variance = max(float(closest.mean()) / dims, 1e-12)
    sigma = variance ** 0.5
    usable = hypothesis is not None and count <= len(hypothesis)
    tried = np.asarray(hypothesis[:count], dtype=int) if usable else nearest
    shifted = np.roll(tried, 1)
    mismatches, to_tried, to_shifted = np.zeros(count), np.zeros(count), np.zeros(count)
    for start, distances in _chunks(rows, inputs):
        at = slice(start, start + len(distances))
        index = np.arange(len(distances))
        excess = distances - closest[at, None]
        twins = between[nearest[at]] == 0  # inputs equal to the nearest one (itself included) are one input
        weights = np.where(twins, 0.0, np.exp(-excess / (2 * variance)))
        mismatches[at] = 1 - 1 / (1 + weights.sum(axis=1))
        to_tried[at] = distances[index, tried[at]]
        to_shifted[at] = distances[index, shifted[at]]
    followed = False
    if usable:
        allowed = int(count * REFUTING_SHARE)
        refuting = (_refuting_z(tried, nearest, to_tried - closest, between, sigma) >= REFUTING_Z).sum()
        power = (_refuting_z(shifted, nearest, to_shifted - closest, between, sigma) >= REFUTING_Z).sum()
        # The rows must be able to refute an order they do not follow, by far more rows than may refute this one.
        needed = min(10 * (allowed + 1), max(1, count // 2))
        followed = bool((tried == nearest).all() or (refuting <= allowed and power >= needed))
    reliable = followed or float(mismatches.sum()) < MAX_MISMATCHES
    return _Matching(tried if followed else nearest, followed, reliable, sigma)


def _refuting_z(candidate: Any, nearest: Any, excess: Any, between: Any, sigma: float) -> Any:
    """For each row, how many noise standard deviations its nearest input beats ``candidate`` by (0 where
    they are the same input)."""
    import numpy as np

    apart = between[candidate, nearest]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (apart ** 2 + excess) / (2 * sigma * apart)
    return np.where(apart > 0, z, 0.0)


def _chunks(rows: Any, inputs: Any, size: int = 512):
    """``(start, squared distances of rows[start:start + size] to every input)``, a few rows at a time."""
    for start in range(0, len(rows), size):
        yield start, _squared_distances(rows[start:start + size], inputs)


def _input_distances(inputs: Any) -> Any:
    """Distances between inputs; 0 exactly between equal inputs, which the expansion in ``_squared_distances``
    leaves a rounding error apart."""
    import numpy as np

    between = np.sqrt(_squared_distances(inputs, inputs))
    scale = float(np.sqrt((inputs ** 2).sum(axis=1).mean())) if len(inputs) else 0.0
    between[between <= 1e-6 * max(scale, 1e-12)] = 0.0
    np.fill_diagonal(between, 0.0)
    return between


def _squared_distances(rows: Any, inputs: Any) -> Any:
    import numpy as np

    squared = (rows ** 2).sum(axis=1)[:, None] + (inputs ** 2).sum(axis=1)[None, :] - 2 * rows @ inputs.T
    return np.maximum(squared, 0.0)


def _reference_orders(reference: Any, epochs: int, examples: int) -> list[Any]:
    """The reference's order for each epoch (the grading process lends the reference's observation when it
    grades a submission), or None per epoch."""
    orders = reference.get("orders") if isinstance(reference, dict) else None
    if isinstance(orders, list) and len(orders) == epochs and all(
            isinstance(order, list) and all(isinstance(i, int) and 0 <= i < examples for i in order) for order in orders):
        return orders
    return [None] * epochs


def _unmatched(matchings: list[_Matching]) -> dict[str, Any]:
    spread = max(matching.spread for matching in matchings)
    return not_assessed(MATCHING, f"the rows lie {spread:.2f} per feature from their nearest inputs, too far to tell "
                                  f"which input each comes from: see augmented")


# ------------------------------------------------------------------------------------------- the properties


def _pipeline_intact(pairs: list[tuple[Any, Any]], matchings: list[_Matching], y: Any) -> dict[str, Any]:
    import numpy as np

    problems = []
    values = np.unique(y)
    for epoch, ((_, labels), matching) in enumerate(zip(pairs, matchings), start=1):
        order = matching.order
        seen = np.bincount(order, minlength=len(y))
        missing, repeated = int((seen == 0).sum()), int((seen > 1).sum())
        wrong = labels != y[order]
        altered = wrong & ~np.isin(labels, values)
        moved = int((wrong & ~altered).sum())
        largest = float(np.abs(labels[altered].astype("float64") - y[order][altered]).max()) if altered.any() else 0.0
        found = [f"{missing} of the {len(y)} examples missing" if missing else "",
                 f"{repeated} repeated" if repeated else "",
                 f"{moved} yielded with another example's label" if moved else "",
                 f"{int(altered.sum())} labels changed (by up to {largest:.3g}): labels pass through unchanged"
                 if altered.any() else ""]
        if any(found):
            problems.append(f"epoch {epoch}: " + ", ".join(part for part in found if part))
    if problems:
        return measured_property(False, "; ".join(problems))
    return measured_property(True, f"each of the {len(pairs)} epochs yields all {len(y)} examples once, each with its own label")


def _pipeline_noise(pairs: list[tuple[Any, Any]], matchings: list[_Matching], x: Any) -> dict[str, Any]:
    """The standard deviation of what augmentation added, rounded so that equal settings compare equal. Where
    rows cannot be matched to inputs, it is estimated from how much more the features spread than the inputs."""
    import numpy as np

    if not all(matching.reliable for matching in matchings):
        spread = _spread_without_matching(pairs, matchings, x)
        return measured_property(round(spread, 2), f"the features differ from the inputs by noise of standard deviation "
                                                   f"about {spread:.3f} (estimated from their spread: the rows cannot "
                                                   f"be matched to the inputs one by one)")
    differences = np.concatenate([features - x[matching.order] for (features, _), matching in zip(pairs, matchings)])
    changed = int((np.abs(differences.reshape(len(differences), -1)).max(axis=1) > 1e-6).sum())
    if not changed:
        return measured_property(0.0, "the features come out exactly as they went in: no augmentation was applied")
    spread = float(differences.std())
    return measured_property(round(spread, 2), f"the features differ from the inputs by noise of standard deviation "
                                               f"{spread:.3f} ({changed} of {len(differences)} yielded examples changed)")


def _spread_without_matching(pairs: list[tuple[Any, Any]], matchings: list[_Matching], x: Any) -> float:
    """Independent noise adds its variance to the features' own: an epoch that yields as many rows as there are
    inputs spreads by the noise's variance more. Otherwise, the rows' distance from their nearest inputs."""
    import numpy as np

    inputs = x.reshape(len(x), -1).astype("float64")
    estimates = []
    for (features, _), matching in zip(pairs, matchings):
        rows = features.reshape(len(features), -1)
        if len(rows) == len(inputs):
            extra = (((rows - rows.mean(axis=0)) ** 2).sum() - ((inputs - inputs.mean(axis=0)) ** 2).sum()) / rows.size
            estimates.append(max(float(extra), 0.0) ** 0.5)
        else:
            estimates.append(matching.spread)
    return float(np.mean(estimates))


def _pipeline_fresh_noise(pairs: list[tuple[Any, Any]], matchings: list[_Matching], x: Any) -> dict[str, Any]:
    """Whether epoch 2 adds other noise to an example than epoch 1 did. TensorFlow's random ops in map() draw the
    same sequence every epoch, so it is the new order that gives each example new noise; with the same order in
    both epochs, noise drawn in map() cannot be told from noise added once."""
    import numpy as np

    noise = []
    for (features, _), matching in zip(pairs, matchings):
        by_example = np.full((len(x), *features.shape[1:]), np.nan)
        by_example[matching.order] = features - x[matching.order]
        noise.append(by_example)
    both = ~np.isnan(noise[0]) & ~np.isnan(noise[1])
    if not both.any():
        return not_assessed("examples_intact", "no example appears in both epochs")
    if np.abs(noise[0][both]).max() <= 1e-6 and np.abs(noise[1][both]).max() <= 1e-6:
        return not_assessed("augmented", "the features come out exactly as they went in")
    if np.allclose(noise[0][both], noise[1][both], atol=1e-6):
        if matchings[0].order.tolist() == matchings[1].order.tolist():
            return not_assessed("reshuffled", "epoch 2 visits the examples in the same order as epoch 1, and map() "
                                              "draws the same noise sequence every epoch")
        return measured_property(False, "epoch 2 adds exactly the same noise to each example as epoch 1")
    return measured_property(True, "each epoch adds new noise to every example")


def _pipeline_reshuffled(matchings: list[_Matching]) -> dict[str, Any]:
    if matchings[0].order.tolist() != matchings[1].order.tolist():
        return measured_property(True, "epoch 2 visits the examples in another order than epoch 1")
    return measured_property(False, "epoch 2 visits the examples in the same order as epoch 1")


def _pipeline_seeded_order(matchings: list[_Matching], reference: list[int] | None, examples: int) -> dict[str, Any]:
    """Epoch 1's order. Rows that follow the reference's order measure as the reference's whole order, also when
    the epoch stops early (a dropped last batch costs the examples it holds, in ``examples_intact``, not the order);
    an order that differs is described: unshuffled, shuffled batch by batch, a small buffer, or another seed. A
    shuffle that keeps its order every epoch draws even epoch 1's order otherwise in TensorFlow
    (``reshuffle_each_iteration=False``), so its order is not assessed: ``reshuffled`` already fails."""
    import numpy as np

    matching = matchings[0]
    order = matching.order
    if not matching.reliable:
        return _unmatched([matching])
    if reference is not None and matching.followed:
        if len(order) * 2 < len(reference):
            return not_assessed("examples_intact", f"epoch 1 yields only {len(order)} of the {examples} examples")
        part = "" if len(order) == len(reference) else f" for the {len(order)} examples it yields"
        return measured_property(list(reference), f"epoch 1 visits the examples in the order {_head(order)}{part}")
    if reference is None:  # the reference's own order, or no other to compare with
        return measured_property(order.tolist(), f"epoch 1 visits the examples in the order {_head(order)}")
    if sorted(order.tolist()) != list(range(examples)):
        return not_assessed("examples_intact", "epoch 1 does not yield every example once")
    kept = all(other.reliable and other.order.tolist() == order.tolist() for other in matchings[1:])
    if kept and not (order == np.arange(len(order))).all():
        return not_assessed("reshuffled", "epoch 2 visits the examples in the same order as epoch 1, and a shuffle "
                                          "that keeps its order draws even epoch 1's order otherwise")
    return measured_property(order.tolist(), _order_note(order))


def _order_note(order: Any) -> str:
    """What an epoch's order (a permutation of the inputs, not the reference's) shows about how it was shuffled."""
    import numpy as np

    head = _head(order)
    positions = np.arange(len(order))
    if (order == positions).all():
        return f"epoch 1 yields the examples in their input order ({head}): they are not shuffled"
    if len(order) > 2 and (np.diff(order) == 1).mean() >= 0.5:
        return (f"epoch 1 yields runs of consecutive inputs ({head}): whole batches were shuffled, not the examples "
                f"in them")
    ahead = int((order - positions).max())
    if ahead < len(order) // 2:
        return (f"epoch 1 ({head}) never brings an example more than {ahead} places forward: a shuffle buffer of "
                f"about {ahead + 1} examples, not one of all {len(order)}")
    return (f"epoch 1 visits the examples in the order {head}: a full shuffle, but not the one "
            f"shuffle(buffer_size=len(x), seed=seed) gives under the grader's global seed")


def _head(order: Any) -> str:
    return ", ".join(str(i) for i in order[:8]) + (", ..." if len(order) > 8 else "")

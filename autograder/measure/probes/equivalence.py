"""Equivalence by behaviour: does a model whose layers differ from the reference's compute the same function?

The student's model and the reference's are measured in separate runs, so neither sees the other's weights.
Both get the same ones instead: every weight is set to a deterministic function of its shape and its position
among the model's weights, in leaf-layer order (the summary's: nested models flattened), and every random
layer's seed state to one of its position among seed states. Two models whose weights have the same shapes in
the same order, and that compute the same function, then give the same outputs on the same inputs:
``Dense(64, activation="relu")`` and ``Dense(64)`` + ``Activation("relu")`` hold the same kernel and bias, and
a block of layers wrapped in a nested ``Sequential`` holds what it held unwrapped.

``ModelEquivalence`` records, per case, the model's summary beside those outputs on a fixed batch of
``PROBE_ROWS`` inputs (drawn from the case's seed), in inference and in training mode, and each leaf layer's
outputs, so that a difference can be located. ``compare_behaviour`` decides in the grading process, on plain
data. The returned model is probed itself (a clone's initializers alone cost ~0.1 s), and its weights and seed
states are put back afterwards exactly as they were, so later observations see the model as it was loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.measure.observations import Context, Observation

PROBE_ROWS = 8
# Each row of the probe batch is scaled differently, so that activations that agree near zero (relu and
# relu6, sigmoid and hard_sigmoid) part on the larger rows.
ROW_SCALES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 1.0)
WEIGHT_SEED = 21  # the stream every weight is drawn from, in order
SEED_STATE = 2_021  # the k-th seed state of a model starts at (SEED_STATE + k, 0)
MAX_VALUES = 2_048  # values recorded of a model's outputs; more are subsampled evenly, the same for equal shapes
MAX_LAYER_VALUES = 256  # values recorded of each leaf layer's outputs, only to locate a difference
SAME = {"rtol": 1e-3, "atol": 1e-4}  # outputs this close are the same computation (float32 arithmetic)
MODES = ("inference", "training")


@dataclass(frozen=True)
class ModelEquivalence(Observation):
    """The summary (``autograder.measure.summary``) and, under ``probe``, the weights' shapes in leaf-layer
    order and the outputs on the probe batch with the deterministic weights (see the module's docstring).
    A model the probe cannot run gets ``probe: {"error": ...}``; its summary is still recorded."""

    kind: ClassVar[str] = "equivalence"

    def measure(self, context: Context) -> Any:
        from autograder.measure.summary import ModelSummary

        model = context.model()
        summary = ModelSummary.from_model(model, context.input_shape).to_dict()
        try:
            probe = _probe(model, context)
        except Exception as exc:  # noqa: BLE001 - the structural verdict still stands without the probe
            lines = [line for line in str(exc).splitlines() if line.strip()]
            probe = {"error": f"{type(exc).__name__}: {lines[0][:300] if lines else ''}"}
        return {"summary": summary, "probe": probe}


def _probe(model: Any, context: Context) -> dict[str, Any]:
    """The probe of ``model`` with the deterministic weights and seed states, which are put back afterwards
    exactly as they were (cheaper than a clone, whose initializers alone cost ~0.1 s)."""
    from autograder.measure.summary import _leaf_layers, ensure_built
    from autograder.sandbox import determinism

    ensure_built(model, context.input_shape)
    leaves = list(_leaf_layers(model))
    weights = [(index, weight) for index, (_, layer) in enumerate(leaves, start=1) for weight in layer.weights]
    states = [generator.state for _, layer in leaves for generator in _seed_generators(layer)]
    kept = [(variable, variable.numpy()) for variable in [w for _, w in weights] + states]
    try:
        determinism.seed_everything(context.seed)
        return _probe_with_fixed_weights(model, leaves, weights, states, context.seed)
    finally:
        for variable, value in kept:
            variable.assign(value)


def _probe_with_fixed_weights(model: Any, leaves: list, weights: list, states: list, seed: int) -> dict[str, Any]:
    import numpy as np

    from autograder.measure.probes.behaviour import leaf_outputs

    rng = np.random.default_rng(WEIGHT_SEED)
    for _, weight in weights:  # in order, so that equal shape sequences draw equal values
        values = deterministic_values(rng, tuple(int(d) for d in weight.shape))
        if "float" in str(weight.dtype):
            weight.assign(values.astype(weight.dtype))
    x = _probe_batch(model, leaves, seed)
    record: dict[str, Any] = {"rows": PROBE_ROWS, "weights": [[index, [int(d) for d in w.shape]] for index, w in weights],
                              "layers": {}, "before_activation": {}}
    for mode in MODES:  # inference first: a training-mode call moves BatchNormalization's moving statistics
        for k, state in enumerate(states):  # dropout masks and random transforms drawn from fixed states
            state.assign(np.array([SEED_STATE + k, 0], dtype=state.dtype))
        before: dict[int, list] = {}
        layers, outputs = leaf_outputs(model, x, training=mode == "training", before_activation=before)
        record[mode] = _values(outputs, MAX_VALUES)
        record["layers"][mode] = [_values(out, MAX_LAYER_VALUES) if out else None for _, _, _, out in layers]
        record["before_activation"][mode] = [_values(before[index], MAX_LAYER_VALUES) if index in before else None
                                             for index, _, _, _ in layers]
    return record


def deterministic_values(rng: Any, shape: tuple[int, ...]) -> Any:
    """The next weight of ``shape`` from ``rng``: a kernel (2 or more axes) uniform within Glorot's limit, so
    that activations work in their usual range; a vector or scalar (biases, scales, shifts, moving means and
    variances) uniform in [0.5, 1.5], positive so that a variance is one."""
    import numpy as np

    if len(shape) >= 2:
        receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
        fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
        limit = math.sqrt(6.0 / max(1, fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)
    return rng.uniform(0.5, 1.5, size=shape)


def _seed_generators(layer: Any) -> list:
    """A layer's seed generators (Dropout's, a random augmentation's), in the order the layer made them."""
    return list(getattr(layer, "_seed_generators", None) or [])


def _probe_batch(model: Any, leaves: list, seed: int) -> Any:
    """``PROBE_ROWS`` inputs from the case's seed: normal values, each row at its own scale; integer indices
    below the smallest Embedding's vocabulary for a model that takes integers. Unknown dimensions are 8."""
    import numpy as np

    spec = model.inputs[0]
    shape = tuple(8 if d is None else int(d) for d in spec.shape[1:])
    rng = np.random.default_rng(seed)
    dtype = str(getattr(spec, "dtype", "float32"))
    if "int" in dtype:
        vocabulary = min((int(layer.input_dim) for _, layer in leaves if hasattr(layer, "input_dim")
                          and type(layer).__name__ == "Embedding"), default=2)
        return rng.integers(0, vocabulary, size=(PROBE_ROWS, *shape)).astype(dtype)
    scales = np.array(ROW_SCALES, dtype=np.float64).reshape(-1, *([1] * len(shape)))
    return (rng.normal(size=(PROBE_ROWS, *shape)) * scales + 0.5).astype("float32")


def _values(outputs: list, limit: int) -> dict[str, Any]:
    """Outputs as plain data: each array's shape, and their values, flattened and concatenated (at most
    ``limit``, subsampled evenly), with 7 significant digits; non-finite values as strings."""
    import numpy as np

    flat = np.concatenate([np.asarray(o, dtype=np.float64).ravel() for o in outputs]) if outputs else np.zeros(0)
    if flat.size > limit:
        flat = flat[np.linspace(0, flat.size - 1, limit).astype(int)]
    values = [float(f"{v:.7g}") if math.isfinite(v) else str(v) for v in flat.tolist()]
    return {"shapes": [list(np.shape(o)) for o in outputs], "values": values}


# ------------------------------------------------------------------- the decision, on plain data


def compare_behaviour(student: dict[str, Any], reference: dict[str, Any], student_layers: list[str],
                      reference_layers: list[str]) -> tuple[bool, str]:
    """Whether the student's probe (``ModelEquivalence``'s ``probe``) shows the reference's function, and a
    message saying why. ``*_layers`` name each leaf layer for messages (``"layer 3 Dense(32)"``)."""
    if "error" in reference:
        return False, f"the reference's model could not be probed ({reference['error']})"
    if "error" in student:
        return False, f"its outputs could not be compared with the reference's: {student['error']}"
    got, expected = student["weights"], reference["weights"]
    if [shape for _, shape in got] != [shape for _, shape in expected]:
        return False, _weights_differ(got, expected, student_layers, reference_layers)
    rows = reference["rows"]
    for mode in MODES:
        gap = _gap(student[mode], reference[mode])
        if gap is not None:
            where = _where(student, reference, mode, student_layers, reference_layers)
            how = " in training mode (training=True)" if mode == "training" else ""
            shown = "a different shape" if gap == math.inf else f"up to {gap:.3g}"
            return False, (f"outputs differ from the reference's by {shown} on {rows} probe inputs{how} with the "
                           f"reference's weights: {where}")
    return True, (f"with the reference's weights, its outputs equal the reference's on {rows} probe inputs, in "
                  "inference and in training mode")


def _weights_differ(got: list, expected: list, student_layers: list[str], reference_layers: list[str]) -> str:
    def shape(s: list) -> str:
        return "(" + ", ".join(map(str, s)) + ("," if len(s) == 1 else "") + ")"

    head = "the reference's weights do not fit this model's"
    for position, ((s_layer, s_shape), (r_layer, r_shape)) in enumerate(zip(got, expected), start=1):
        if s_shape != r_shape:
            return (f"{head}: weight {position} ({_name(student_layers, s_layer)}) has shape {shape(s_shape)}, "
                    f"the reference's ({_name(reference_layers, r_layer)}) {shape(r_shape)}")
    return f"{head}: it holds {len(got)} weight arrays, the reference's model {len(expected)}"


def _name(names: list[str], index: int) -> str:
    return names[index - 1] if 0 < index <= len(names) else f"layer {index}"


def _gap(got: dict[str, Any], expected: dict[str, Any]) -> float | None:
    """The largest difference between two recorded outputs, ``inf`` if their shapes differ, None if they
    are the same computation (within ``SAME``)."""
    if got["shapes"] != expected["shapes"] or len(got["values"]) != len(expected["values"]):
        return math.inf
    gap, same = 0.0, True
    for a, b in zip(got["values"], expected["values"]):
        if isinstance(a, str) or isinstance(b, str):
            if a != b:
                return math.inf
            continue
        difference = abs(a - b)
        if difference > SAME["atol"] + SAME["rtol"] * abs(b):
            same = False
        gap = max(gap, difference)
    return None if same else gap


def _where(student: dict[str, Any], reference: dict[str, Any], mode: str, student_layers: list[str],
           reference_layers: list[str]) -> str:
    """Where the student's layers part from the reference's: after the last of its leaf layers whose outputs
    equal those of one of the reference's layers (or what one of them passes to its activation, so that a
    ``Dense`` + ``Activation`` pair lines up with a ``Dense(activation=...)``)."""
    def labelled(records: dict[str, Any], suffix: str) -> list[tuple[str, Any]]:
        values = (records.get(mode) or [])
        return [(f"the reference's {_name(reference_layers, i)}{suffix}", r) for i, r in enumerate(values, start=1) if r]

    known = labelled(reference["layers"], "") + labelled(reference.get("before_activation", {}), " before its activation")

    def partner(values: Any) -> str | None:
        return next((label for label, r in known if _gap(values, r) is None), None) if values else None

    got = student["layers"][mode]
    before = (student.get("before_activation", {}).get(mode) or [None] * len(got))
    matched = [partner(values) for values in got]
    last = max((i for i, label in enumerate(matched) if label), default=-1)
    if last + 1 >= len(got):
        return (f"the outputs of its last layer, {_name(student_layers, last + 1)}, equal those of {matched[last]}, "
                "not of the reference's last layer")
    part = _name(student_layers, last + 2)
    inside = partner(before[last + 1])
    if inside:
        return f"the activation of {part} is where they part (before it, the outputs equal those of {inside})"
    if last < 0:
        return f"{part} is where they part (no layer's outputs equal those of any of the reference's layers)"
    return (f"{part} is where they part (up to {_name(student_layers, last + 1)}, the outputs equal those of "
            f"{matched[last]})")

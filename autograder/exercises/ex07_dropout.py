from autograder.spec import (
    Case,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    Misconception,
    ModelBehaviour,
    OutputShapes,
    ParamCounts,
    PropertyMatches,
    Recipe,
    Trained,
)

# Few, noisy samples and a wide network: without dropout it memorizes the training set within 20 epochs.
NOISY = Recipe("noisy_blobs", epochs=20, loss="binary_crossentropy")

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
ALL_CASES = ("moderate", "strong", "single", "deep")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


DROPOUT_LOOP = """    for units in hidden_units:
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(rate))
"""


MISCONCEPTIONS = (
    Misconception("no dropout at all",
        edits=(('        model.add(layers.Dropout(rate))\n', ""),),
        fails=each(ALL_CASES, "training_varies", "layer_types", "output_shapes", "layer_config"),
        says="two calls with training=True gave the same outputs; expected: two calls with training=True "
             "gave different outputs"),
    Misconception("dropout after the first hidden layer only",
        edits=((DROPOUT_LOOP, """    model.add(layers.Dense(hidden_units[0], activation="relu"))
    model.add(layers.Dropout(rate))
    for units in hidden_units[1:]:
        model.add(layers.Dense(units, activation="relu"))
"""),),
        # Dropout has no weights, so the totals still match; the single-layer case is right by luck.
        fails=each(("moderate", "strong", "deep"), "layer_types", "output_shapes", "layer_config"),
        says="expected 5 layers, got 4; layer 4: expected Dropout(0.3) -> (None, 64), got nothing (missing)", slow=True),
    Misconception("rate hard-coded to the post's 0.5",
        edits=(("layers.Dropout(rate)", "layers.Dropout(0.5)"),),
        fails=each(("moderate", "strong", "deep"), "layer_config"),
        says="layer 2 Dropout(0.5): rate expected 0.3, got 0.5", slow=True),
    Misconception("GaussianDropout instead of Dropout",
        edits=(("layers.Dropout(rate)", "layers.GaussianDropout(rate)"),),
        # It behaves like dropout (random in training, identity at inference) but is another layer.
        fails=each(ALL_CASES, "layer_types"),
        says="layer 2: expected Dropout(0.3) -> (None, 64), got GaussianDropout(0.3) -> (None, 64)", slow=True),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=7,
    slug="dropout",
    title="Dropout against overfitting",
    concept="Dropout",
    task="""
        A `Dropout(rate)` layer sets a random fraction `rate` of its inputs to zero on every training
        step (and scales the rest up by `1 / (1 - rate)`), so no unit can rely on one particular
        neighbour. At inference it does nothing: predictions stay deterministic.

        Write `build_model(input_dim, hidden_units, rate)` that returns a Sequential model:

        1. `keras.Input(shape=(input_dim,))`;
        2. for each entry `u` of `hidden_units`, in order: `Dense(u, activation="relu")` followed by
           `Dropout(rate)`;
        3. a `Dense(1, activation="sigmoid")` output.

        Do not compile or train it. The grader checks that two calls with `training=False` agree while
        two calls with `training=True` differ, then trains a fresh copy on a small, noisy two-class
        problem (20 features) with `rate=0.3` and with `rate=0.7` and compares the held-out accuracy
        of each with the reference's. Try it yourself: train both rates (and `rate=0.0`) for 20 epochs
        and compare training accuracy with validation accuracy; the gap shrinks as the rate grows.
    """,
    keras3_notes="""
        `Dropout(0.5)` is unchanged from the post. Keras 3 decides whether it is active from the
        `training` argument of the call (`fit` passes `training=True`, `predict` and `evaluate` pass
        `training=False`), and a Dropout layer has no weights, so it adds no parameters. Start the model
        with `keras.Input(shape=...)` rather than `input_shape=`.
    """,
    functions=(Function("build_model", returns="model"),),
    cases=(
        Case("moderate", dict(input_dim=20, hidden_units=(64, 64), rate=0.3)),
        Case("strong", dict(input_dim=20, hidden_units=(64, 64), rate=0.7)),
        ### BEGIN HIDDEN TESTS
        Case("single", dict(input_dim=30, hidden_units=(32,), rate=0.5), hidden=True, seed=5),
        Case("deep", dict(input_dim=8, hidden_units=(16, 16, 8), rate=0.2), hidden=True, seed=9),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2),
        OutputShapes(points=1),
        ParamCounts(points=1),
        LayerConfig(points=2),
        PropertyMatches(ModelBehaviour(), "inference_repeatable", points=1,
                        hint="with training=False every layer must be deterministic"),
        PropertyMatches(ModelBehaviour(), "training_varies", points=1,
                        hint="Dropout must drop units when the model is called with training=True"),
        MetricAtLeast(Trained(NOISY), margin=0.12, points=2, cases=("moderate", "strong")),
    ),
    misconceptions=MISCONCEPTIONS,
)

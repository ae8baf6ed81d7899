from autograder.spec import (
    Case,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    ModelBehaviour,
    OutputShapes,
    ParamCounts,
    PropertyMatches,
    Recipe,
    Trained,
)

# Few, noisy samples and a wide network: without dropout it memorizes the training set within 20 epochs.
NOISY = Recipe("noisy_blobs", epochs=20, loss="binary_crossentropy")

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
)

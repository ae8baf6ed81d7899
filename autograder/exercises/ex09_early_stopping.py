from autograder.spec import (
    Case,
    DataArray,
    Evaluated,
    Exercise,
    Function,
    GivenModel,
    MetricAtLeast,
    RestoresBest,
    StoppingPoint,
)

DATA = "noisy_blobs"


def _training_case(name: str, patience: int, seed: int = 0, hidden: bool = False) -> Case:
    return Case(name, dict(model=GivenModel("overfitting_mlp", dict(input_dim=20)),
                           x_train=DataArray(DATA, "train", "x"), y_train=DataArray(DATA, "train", "y"),
                           x_val=DataArray(DATA, "val", "x"), y_val=DataArray(DATA, "val", "y"),
                           patience=patience), seed=seed, hidden=hidden)


EXERCISE = Exercise(
    number=9,
    slug="early_stopping",
    title="Stop training when validation loss stops improving",
    concept="EarlyStopping",
    task="""
        The model you receive is wide and the data small and noisy, so after a few epochs it starts
        memorizing: training loss keeps falling while validation loss turns upward. The
        `EarlyStopping` callback watches a quantity and stops training once it has not improved for
        `patience` epochs.

        Write `train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience)` that:

        1. creates `keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
           restore_best_weights=True)`;
        2. calls `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=100,
           batch_size=32, callbacks=[...], verbose=0)` on the compiled model it is given;
        3. returns the `History` object that `fit` returns.

        The grader checks where your training stopped relative to its best epoch, that the returned
        model carries the best epoch's weights, and its accuracy on data your function never saw.
        Try several patience values: a larger patience trains longer past the best epoch.
    """,
    keras3_notes="""
        Monitor names follow the metric names given to `compile`: with `metrics=["accuracy"]` the
        history has `val_accuracy`; the post's old `val_acc` raises an error in Keras 3 unless you
        also pass `mode`. `val_loss` is always available when you pass validation data.
    """,
    functions=(Function("train_with_early_stopping", returns="history"),),
    timeout_seconds=300.0,  # a wrong monitor trains all 100 epochs; on a loaded machine that nears 120 s
    run_children=2,  # the student's function trains
    cases=(
        _training_case("default", patience=3),
        _training_case("patient", patience=8),
        ### BEGIN HIDDEN TESTS
        _training_case("impatient", patience=1, seed=11, hidden=True),
        _training_case("other_data", patience=5, seed=23, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        StoppingPoint(points=3),
        RestoresBest(dataset=DATA, points=3),
        # Splits drawn by other seeds score 0.76-0.87, so the margin must cover 0.11 (calibration/).
        MetricAtLeast(Evaluated(DATA, "test"), margin=0.12, points=3),
    ),
)

from autograder.spec import (
    CallbackMatches,
    Case,
    DataArray,
    Exercise,
    Function,
    GivenModel,
    HistoryMatches,
    MetricAtLeast,
    PropertyMatches,
    Replayed,
    WeightsMatch,
)

DATA = "noisy_blobs"
GIVEN = GivenModel("overfitting_mlp", dict(input_dim=20))
# The grader's own training with the student's callback: the task's model, data and fit settings.
REPLAY = Replayed(GIVEN, DATA, epochs=100)
RESTORE_HINT = "restore the best epoch's weights (restore_best_weights=True)"
FIT_HINT = ("train the model you are given on x_train/y_train with validation_data=(x_val, y_val), "
            "epochs=epochs, batch_size=32 and the callback make_early_stopping(patience) returns")


def _callback_case(name: str, patience: int, seed: int = 0, hidden: bool = False) -> Case:
    return Case(name, dict(patience=patience), function="make_early_stopping", seed=seed, hidden=hidden)


def _training_case(name: str, patience: int, epochs: int = 100, seed: int = 0, hidden: bool = False) -> Case:
    return Case(name, dict(model=GIVEN, x_train=DataArray(DATA, "train", "x"), y_train=DataArray(DATA, "train", "y"),
                           x_val=DataArray(DATA, "val", "x"), y_val=DataArray(DATA, "val", "y"),
                           patience=patience, epochs=epochs),
                function="train_with_early_stopping", seed=seed, hidden=hidden)


EXERCISE = Exercise(
    number=9,
    slug="early_stopping",
    title="Stop training when validation loss stops improving",
    concept="EarlyStopping",
    task="""
        The model you receive is wide and the data small and noisy, so after a few epochs it starts
        memorizing: training loss keeps falling while validation loss turns upward. The
        `EarlyStopping` callback watches a quantity after every epoch and stops training once it has
        not improved for `patience` epochs; with `restore_best_weights=True` it then puts back the
        weights of the best epoch.

        Write two functions:

        1. `make_early_stopping(patience)`: return
           `keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
           restore_best_weights=True)`.
        2. `train_with_early_stopping(model, x_train, y_train, x_val, y_val, patience, epochs)`: call
           `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
           batch_size=32, callbacks=[make_early_stopping(patience)], verbose=0)` on the compiled model
           it is given, and return the `History` object that `fit` returns. `epochs` is a cap: training
           ends there even if validation loss is still improving.

        The grader trains the same model itself with the callback your first function returns, on
        data your code never sees, and checks where that training stops, which epoch's weights it
        keeps and how well they do on held-out data. It compares your own training, epoch by
        epoch, with the reference's on the same inputs: the same model, data and settings train to
        the same numbers. Try several patience values: a larger patience trains longer past the best
        epoch, and with `restore_best_weights=False` you keep the last, overfitted, weights.
    """,
    keras3_notes="""
        Monitor names follow the metric names given to `compile`: with `metrics=["accuracy"]` the
        history has `val_accuracy`; the post's old `val_acc` raises an error in Keras 3 unless you
        also pass `mode`. `val_loss` is always available when you pass validation data.
    """,
    functions=(Function("make_early_stopping", returns="callback"),
               Function("train_with_early_stopping", returns="history")),
    timeout_seconds=300.0,  # a wrong monitor trains all 100 epochs; on a loaded machine that nears 120 s
    run_children=2,  # the student's function trains
    cases=(
        _callback_case("callback", patience=3),
        _callback_case("patient_callback", patience=8),
        _training_case("default", patience=3),
        _training_case("patient", patience=8),
        ### BEGIN HIDDEN TESTS
        _callback_case("impatient_callback", patience=1, seed=11, hidden=True),
        _callback_case("other_data_callback", patience=5, seed=23, hidden=True),
        _training_case("impatient", patience=1, seed=11, hidden=True),
        _training_case("capped", patience=10, epochs=5, seed=5, hidden=True),  # the cap ends training first
        ### END HIDDEN TESTS
    ),
    checks=(
        CallbackMatches(points=1, function="make_early_stopping"),
        PropertyMatches(REPLAY, "run", points=2, function="make_early_stopping"),
        PropertyMatches(REPLAY, "kept", points=2, hint=RESTORE_HINT, function="make_early_stopping"),
        # Splits drawn by other seeds score 0.76-0.87, so the margin must cover 0.11 (calibration/).
        MetricAtLeast(REPLAY, margin=0.12, points=1, function="make_early_stopping"),
        HistoryMatches(DATA, points=2, hint=FIT_HINT, function="train_with_early_stopping"),
        WeightsMatch(DATA, points=2, hint=RESTORE_HINT, function="train_with_early_stopping"),
    ),
)

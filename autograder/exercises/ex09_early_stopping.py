from autograder.spec import (
    CallbackMatches,
    Case,
    DataArray,
    Exercise,
    Function,
    GivenModel,
    HistoryMatches,
    MetricAtLeast,
    Misconception,
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


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
CALLBACKS = ("callback", "patient_callback", "impatient_callback", "other_data_callback")
TRAININGS = ("default", "patient", "impatient", "capped")
FIT = '''    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_early_stopping(patience)], verbose=0)'''
# A History the student's process makes up, with a plausible stopping point, for a model it never trained.
FORGED = '''    history = keras.callbacks.History()
    history.set_model(model)
    history.history = {"loss": [0.6 - 0.02 * e for e in range(9)], "accuracy": [0.7 + 0.01 * e for e in range(9)],
                       "val_loss": [0.6 - 0.01 * min(e, 5) for e in range(9)], "val_accuracy": [0.8] * 9}
    return history'''
# Trains on the public dataset's test split, regenerated in the student's process: the returned model
# scores far above the reference on held-out data, and its history is that of other data.
ON_TEST_DATA = '''    from autograder.course import datasets

    test = datasets.load("noisy_blobs", seed=0)
    return model.fit(test.x_test, test.y_test, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_early_stopping(patience)], verbose=0)'''


def ids(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


MISCONCEPTIONS = (
    Misconception("best weights not restored",
        edits=((", restore_best_weights=True", ""),),
        # In the capped case the last epoch is the best one: restoring changes nothing.
        fails=ids(CALLBACKS, "callback", "kept") + ids(TRAININGS[:3], "weights"),
        says="restore_best_weights=False, expected True"),
    Misconception("patience hard-coded to the example's 3",
        edits=(("patience=patience, restore", "patience=3, restore"),),
        # The best epoch comes before either patience runs out, so the kept weights are the same; the
        # capped case ends at its cap before either patience does.
        fails=ids(CALLBACKS[1:], "callback", "run") + ids(TRAININGS[1:3], "history"),
        says="patience=3, expected 8", slow=True),
    Misconception("monitoring the training loss",
        edits=(('monitor="val_loss"', 'monitor="loss"'),),
        fails=ids(CALLBACKS, "callback", "run", "kept") + ids(TRAININGS[:3], "history", "weights"),
        says="monitor='loss', expected 'val_loss'", slow=True),
    Misconception("another batch size",
        edits=(("epochs=epochs, batch_size=32", "epochs=epochs, batch_size=64"),),
        fails=ids(TRAININGS, "history", "weights"),
        says="the reference's training on the same data"),
    Misconception("the epoch cap ignored",
        edits=(("epochs=epochs, batch_size=32", "epochs=100, batch_size=32"),),
        fails=ids(("capped",), "history", "weights"),
        says="training ran", slow=True),
    Misconception("a forged history", edits=((FIT, FORGED),),
        fails=ids(TRAININGS, "history", "weights"),
        says="the reference's training on the same data"),
    Misconception("training on the regenerated test split", edits=((FIT, ON_TEST_DATA),),
        fails=ids(TRAININGS, "history", "weights"),
        says="the reference's training on the same data", slow=True),
)
### END HIDDEN TESTS


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
    misconceptions=MISCONCEPTIONS,
)

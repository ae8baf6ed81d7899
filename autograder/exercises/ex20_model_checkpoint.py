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
CHECKPOINT = "best_model.keras"
# The grader's own training with the student's callback: the task's model, data and fit settings.
REPLAY = Replayed(GIVEN, DATA, epochs=15)
SAVES_BEST_HINT = ("save only when val_accuracy reaches a new maximum: ModelCheckpoint(checkpoint_path, "
                   "monitor='val_accuracy', mode='max', save_best_only=True)")
FIT_HINT = ("train the model you are given on x_train/y_train with validation_data=(x_val, y_val), "
            "epochs=epochs, batch_size=32 and the callback make_checkpoint(checkpoint_path) returns")


def _callback_case(name: str, seed: int, checkpoint_path: str = CHECKPOINT, hidden: bool = False) -> Case:
    return Case(name, dict(checkpoint_path=checkpoint_path), function="make_checkpoint", seed=seed, hidden=hidden)


def _training_case(name: str, epochs: int, seed: int, checkpoint_path: str = CHECKPOINT,
                   hidden: bool = False) -> Case:
    return Case(name, dict(model=GIVEN, x_train=DataArray(DATA, "train", "x"), y_train=DataArray(DATA, "train", "y"),
                           x_val=DataArray(DATA, "val", "x"), y_val=DataArray(DATA, "val", "y"),
                           checkpoint_path=checkpoint_path, epochs=epochs),
                function="train_with_checkpoint", seed=seed, hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
CALLBACKS = ("callback", "other_data_callback", "renamed_callback", "hidden_data_callback")
TRAININGS = ("default", "longer", "short_run", "other_data")
FIT = '''    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_checkpoint(checkpoint_path)], verbose=0)'''
# Saves the given model untrained and makes up the history a good run would have had.
FORGED = '''    model.save(checkpoint_path)
    history = keras.callbacks.History()
    history.set_model(model)
    history.history = {"loss": [0.5] * epochs, "accuracy": [0.8] * epochs, "val_loss": [0.5] * epochs,
                       "val_accuracy": [0.8] * epochs}
    return history'''


def ids(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


MISCONCEPTIONS = (
    Misconception("saves every epoch",
        edits=(('mode="max",\n                                           save_best_only=True)', 'mode="max")'),),
        # The cases' seeds make the last epoch worse than the best one.
        fails=ids(CALLBACKS, "callback", "kept") + ids(TRAININGS, "checkpoint"),
        says="save_best_only=False, expected True"),
    Misconception("the post's val_loss monitor",
        edits=(('monitor="val_accuracy", mode="max"', 'monitor="val_loss", mode="min"'),),
        # The cases' seeds make the lowest val_loss fall on an epoch with less than the best accuracy.
        fails=ids(CALLBACKS, "callback", "kept") + ids(TRAININGS, "checkpoint"),
        says="monitor='val_loss', expected 'val_accuracy'", slow=True),
    Misconception("the post's .h5 file instead of the given path",
        edits=(("ModelCheckpoint(checkpoint_path,", 'ModelCheckpoint("best_model.h5",'),),
        fails=ids(CALLBACKS, "callback") + ids(TRAININGS, "checkpoint"),
        says="filepath='best_model.h5', expected 'best_model.keras'"),
    Misconception("file name hard-coded to the example's",
        edits=(("ModelCheckpoint(checkpoint_path,", 'ModelCheckpoint("best_model.keras",'),),
        fails=("renamed_callback.callback", "short_run.checkpoint"),
        says="filepath='best_model.keras', expected 'checkpoint.keras'", slow=True),
    Misconception("another batch size",
        edits=(("epochs=epochs, batch_size=32", "epochs=epochs, batch_size=16"),),
        fails=ids(TRAININGS, "history", "checkpoint"),
        says="the reference's training on the same data", slow=True),
    Misconception("a forged history and an untrained checkpoint", edits=((FIT, FORGED),),
        fails=ids(TRAININGS, "history", "checkpoint"),
        says="the reference's training on the same data"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=20,
    slug="model_checkpoint",
    title="Keep the best model while training",
    concept="ModelCheckpoint",
    task="""
        The model you receive is wide and the data small and noisy: validation accuracy rises for a
        few epochs, then wanders while the model memorizes the training data, so the model you have
        after the last epoch is often not the best one you had. The `ModelCheckpoint` callback saves
        the model to a file during training; with `save_best_only=True` it saves only when the
        monitored quantity improves, so the file ends up holding the best epoch's model.

        Write two functions:

        1. `make_checkpoint(checkpoint_path)`: return
           `keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy", mode="max",
           save_best_only=True)`: higher accuracy is better, hence `mode="max"`.
        2. `train_with_checkpoint(model, x_train, y_train, x_val, y_val, checkpoint_path, epochs)`:
           call `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
           batch_size=32, callbacks=[make_checkpoint(checkpoint_path)], verbose=0)` on the compiled
           model it is given (compiled with `metrics=["accuracy"]`, so the history records
           `val_accuracy`), and return the `History` object that `fit` returns.

        `checkpoint_path` is a file name ending in `.keras`, in the directory your code runs in. The
        grader trains the same model itself with the callback your first function returns, on data
        your code never sees, and checks which epoch's model ends up in the file and how well it
        does on held-out data. It compares your own training, epoch by epoch, with the reference's on
        the same inputs, and the file your training saved with the reference's. Try
        `monitor="val_loss"` or `save_best_only=False` and see which epoch the file keeps.
    """,
    keras3_notes="""
        Keras 3 saves whole models in the native `.keras` format: the post's `'best_model.h5'` still
        works but is legacy HDF5, and a path without an extension is refused. With
        `save_weights_only=True` the path must end in `.weights.h5`. The old `period=` argument is
        gone (use `save_freq`). Monitor names follow the metrics given to `compile`:
        `metrics=["accuracy"]` gives `val_accuracy`, not the old `val_acc`.
    """,
    run_children=2,  # the student's function trains
    functions=(Function("make_checkpoint", returns="callback"),
               Function("train_with_checkpoint", returns="history")),
    cases=(
        # Seeds where the best val_accuracy is neither the last epoch's nor the lowest val_loss epoch's, so a
        # checkpoint that saves every epoch, or the best val_loss, keeps a worse model than the best one.
        _callback_case("callback", seed=4),
        _callback_case("other_data_callback", seed=17),
        _training_case("default", epochs=12, seed=4),
        _training_case("longer", epochs=15, seed=17),
        ### BEGIN HIDDEN TESTS
        _callback_case("renamed_callback", seed=1, checkpoint_path="checkpoint.keras", hidden=True),
        _callback_case("hidden_data_callback", seed=11, hidden=True),
        _training_case("short_run", epochs=10, seed=1, checkpoint_path="checkpoint.keras", hidden=True),
        _training_case("other_data", epochs=15, seed=11, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        CallbackMatches(points=1, function="make_checkpoint"),
        PropertyMatches(REPLAY, "kept", points=3, hint=SAVES_BEST_HINT, function="make_checkpoint"),
        # Each seed generates another noisy problem (0.75-0.87 for the reference): the margin covers that,
        # and the threshold stays far above chance.
        MetricAtLeast(REPLAY, margin=0.13, points=1, function="make_checkpoint"),
        HistoryMatches(DATA, points=2, hint=FIT_HINT, function="train_with_checkpoint"),
        WeightsMatch(DATA, CHECKPOINT, points=2, hint=SAVES_BEST_HINT, function="train_with_checkpoint",
                     cases=("default", "longer")),
        ### BEGIN HIDDEN TESTS
        WeightsMatch(DATA, CHECKPOINT, points=2, hint=SAVES_BEST_HINT, function="train_with_checkpoint",
                     cases=("other_data",)),
        WeightsMatch(DATA, "checkpoint.keras", points=2, hint=SAVES_BEST_HINT, function="train_with_checkpoint",
                     cases=("short_run",)),
        ### END HIDDEN TESTS
    ),
    misconceptions=MISCONCEPTIONS,
)

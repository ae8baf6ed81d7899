from autograder.spec import (
    Case,
    CheckpointBest,
    CheckpointEvaluated,
    DataArray,
    Exercise,
    Function,
    GivenModel,
    MetricAtLeast,
    PropertyMatches,
)

DATA = "noisy_blobs"
CHECKPOINT = "best_model.keras"
SAVES_BEST_HINT = ("save only when val_accuracy reaches a new maximum: ModelCheckpoint(checkpoint_path, "
                   "monitor='val_accuracy', mode='max', save_best_only=True)")


def _training_case(name: str, epochs: int, seed: int, checkpoint_path: str = CHECKPOINT,
                   hidden: bool = False) -> Case:
    # Seeds where the best val_accuracy is neither the last epoch's nor the lowest val_loss epoch's, so a
    # checkpoint that saves every epoch, or the best val_loss, keeps a worse model than the best one.
    return Case(name, dict(model=GivenModel("overfitting_mlp", dict(input_dim=20)),
                           x_train=DataArray(DATA, "train", "x"), y_train=DataArray(DATA, "train", "y"),
                           x_val=DataArray(DATA, "val", "x"), y_val=DataArray(DATA, "val", "y"),
                           checkpoint_path=checkpoint_path, epochs=epochs), seed=seed, hidden=hidden)


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

        Write `train_with_checkpoint(model, x_train, y_train, x_val, y_val, checkpoint_path, epochs)`
        that:

        1. creates `keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy",
           mode="max", save_best_only=True)`: higher accuracy is better, hence `mode="max"`;
        2. calls `model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
           batch_size=32, callbacks=[...], verbose=0)` on the compiled model it is given (compiled with
           `metrics=["accuracy"]`, so the history records `val_accuracy`);
        3. returns the `History` object that `fit` returns.

        `checkpoint_path` is a file name ending in `.keras`, in the directory your code runs in. The
        grader loads that file, measures its accuracy on the validation data and compares it with the
        best epoch's `val_accuracy` in your history, then measures it on data your function never saw.
    """,
    keras3_notes="""
        Keras 3 saves whole models in the native `.keras` format: the post's `'best_model.h5'` still
        works but is legacy HDF5, and a path without an extension is refused. With
        `save_weights_only=True` the path must end in `.weights.h5`. The old `period=` argument is
        gone (use `save_freq`). Monitor names follow the metrics given to `compile`:
        `metrics=["accuracy"]` gives `val_accuracy`, not the old `val_acc`.
    """,
    run_children=2,  # the student's function trains
    functions=(Function("train_with_checkpoint", returns="history"),),
    cases=(
        _training_case("default", epochs=12, seed=4),
        _training_case("longer", epochs=15, seed=17),
        ### BEGIN HIDDEN TESTS
        _training_case("short_run", epochs=10, seed=1, checkpoint_path="checkpoint.keras", hidden=True),
        _training_case("other_data", epochs=15, seed=11, checkpoint_path="checkpoint.keras", hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        PropertyMatches(CheckpointBest(DATA, CHECKPOINT), "saves_best", points=4, hint=SAVES_BEST_HINT,
                        cases=("default", "longer")),
        PropertyMatches(CheckpointBest(DATA, CHECKPOINT), "epochs", points=1, cases=("default", "longer")),
        # Each seed generates another noisy problem (0.75-0.87 for the reference): the margin covers that,
        # and the threshold stays far above chance.
        MetricAtLeast(CheckpointEvaluated(DATA, CHECKPOINT, "test"), margin=0.13, points=2, cases=("default",)),
        ### BEGIN HIDDEN TESTS
        PropertyMatches(CheckpointBest(DATA, "checkpoint.keras"), "saves_best", points=4, hint=SAVES_BEST_HINT,
                        cases=("short_run", "other_data")),
        PropertyMatches(CheckpointBest(DATA, "checkpoint.keras"), "epochs", points=1,
                        cases=("short_run", "other_data")),
        ### END HIDDEN TESTS
    ),
)

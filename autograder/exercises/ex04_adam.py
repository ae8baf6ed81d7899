from autograder.spec import (
    Case,
    CompileSettings,
    DataArray,
    Exercise,
    Function,
    GivenModel,
    MetricAtLeast,
    Misconception,
    PropertyMatches,
    Recipe,
    Trained,
    ValueEquals,
)

DATA = "digits_flat"
ADAM_HINT = "compile with optimizer=keras.optimizers.Adam(learning_rate=learning_rate)"


def _compile_case(name: str, learning_rate: float, input_dim: int = 64, num_classes: int = 10,
                  hidden: bool = False) -> Case:
    model = GivenModel("small_mlp", dict(input_dim=input_dim, num_classes=num_classes))
    return Case(name, dict(model=model, learning_rate=learning_rate), hidden=hidden)


def _sweep_case(name: str, learning_rates: tuple[float, ...], seed: int = 0, hidden: bool = False) -> Case:
    return Case(name, dict(model=GivenModel("small_mlp", dict(input_dim=64, num_classes=10)),
                           x_train=DataArray(DATA, "train", "x"), y_train=DataArray(DATA, "train", "y"),
                           learning_rates=learning_rates, epochs=3),
                function="best_learning_rate", seed=seed, hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
COMPILE_CASES = ("default", "fast", "slow_wine", "tiny_rate")
ALL_CHECKS = tuple(f"{case}.{check}" for case in COMPILE_CASES for check in ("optimizer", "learning_rate", "loss")) + (
    "default.metric", "sweep.value", "sweep_other.value", "sweep_diverging.value")


MISCONCEPTIONS = (
    Misconception("the post-era spelling Adam(lr=...)",
        edits=(("keras.optimizers.Adam(learning_rate=learning_rate)", "keras.optimizers.Adam(lr=learning_rate)"),),
        # Keras 3 refuses the old argument, so nothing runs.
        fails=ALL_CHECKS,
        says="Argument(s) not recognized"),
    Misconception("SGD instead of Adam",
        edits=(("keras.optimizers.Adam(learning_rate=learning_rate)", "keras.optimizers.SGD(learning_rate=learning_rate)"),),
        # Plain SGD at Adam's rates hardly learns in 10 epochs, and its sweep prefers far larger rates;
        # between 1e-3 and 1e-5 (1e20 diverges) it hardly moves in 3 epochs: measured, 1e-5's copy wins.
        fails=("default.optimizer", "fast.optimizer", "slow_wine.optimizer", "tiny_rate.optimizer",
               "default.metric", "sweep.value", "sweep_diverging.value"),
        says="optimizer SGD; expected: optimizer Adam; compile with optimizer=keras.optimizers.Adam", slow=True),
    Misconception("learning rate ignored",
        edits=(("keras.optimizers.Adam(learning_rate=learning_rate)", "keras.optimizers.Adam()"),),
        # The sweep then trains every copy at 0.001, so its pick is whichever initialization does best:
        # measured, the middle copy wins in the first two sweeps, which happens to be the right rate, and
        # the first (1e20's) in the diverging one.
        fails=("fast.learning_rate", "slow_wine.learning_rate", "tiny_rate.learning_rate",
               "sweep_diverging.value"),
        says="Adam with learning rate 0.001; expected: Adam with learning rate 0.01", slow=True),
    Misconception("sweep returns the position of the best rate",
        edits=(("return learning_rates[final_losses.index(min(final_losses))]", "return final_losses.index(min(final_losses))"),),
        fails=("sweep.value", "sweep_other.value", "sweep_diverging.value"),
        says="expected 0.001, got 1", slow=True),
    Misconception("a NaN loss not counted as the worst",
        edits=(("final_losses.append(loss if math.isfinite(loss) else math.inf)", "final_losses.append(loss)"),),
        # Adam at 1e20 ends in a NaN loss, which comes first: min([nan, 1.76, 2.39]) is nan, so the
        # diverged rate wins. The other sweeps' losses stay finite.
        fails=("sweep_diverging.value",),
        says="expected 0.001, got 1e+20"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=4,
    slug="adam",
    title="Adam and its learning rate",
    concept="Adam",
    task="""
        An optimizer turns the gradient of the loss into weight updates. Adam adapts the step of
        every weight, but one number still sets the scale of every step: the learning rate. Too
        small and the weights hardly move; too large and every step overshoots, so the loss stops
        falling or blows up.

        Write two functions:

        1. `compile_with_adam(model, learning_rate)`: compile the model it receives with
           `optimizer=keras.optimizers.Adam(learning_rate=learning_rate)`,
           `loss="sparse_categorical_crossentropy"` and `metrics=["accuracy"]`, and return it.
        2. `best_learning_rate(model, x_train, y_train, learning_rates, epochs)`: for each rate, take
           a fresh copy of the model (`keras.models.clone_model(model)`), compile it with
           `compile_with_adam`, and `fit` it for `epochs` epochs with `batch_size=32`. Return the rate
           (one of `learning_rates`) whose copy ends with the lowest training loss (the last value of
           `history.history["loss"]`); a loss that is NaN counts as the worst.

        The grader reads how your model was compiled, trains a fresh copy with your optimizer and loss
        on handwritten digits, and runs your sweep on other rates and data too. Print the losses of
        your sweep: which rates barely learn, and which overshoot?
    """,
    keras3_notes="""
        `Adam(learning_rate=0.001)` is unchanged from the post. The old spelling `Adam(lr=0.001)` raises
        an error in Keras 3, and `decay=` is ignored: use a schedule from
        `keras.optimizers.schedules` instead. `tensorflow.keras.optimizers.Adam` is the same class.
    """,
    timeout_seconds=300.0,  # the sweep trains three models
    run_children=2,  # the student's function trains
    functions=(Function("compile_with_adam", returns="model"), Function("best_learning_rate", returns="value")),
    cases=(
        _compile_case("default", 1e-3),
        _compile_case("fast", 1e-2),
        _sweep_case("sweep", (1e-5, 1e-3, 1.0)),
        ### BEGIN HIDDEN TESTS
        _compile_case("slow_wine", 3e-4, input_dim=13, num_classes=3, hidden=True),
        _compile_case("tiny_rate", 5e-5, input_dim=4, num_classes=2, hidden=True),
        _sweep_case("sweep_other", (3.0, 1e-2, 1e-6), seed=7, hidden=True),
        # Adam's steps are about the rate itself, and the loss is computed from the logits: at 1e20 they
        # overflow and the loss is NaN from the first epoch (1e17 still ends finite), and min([nan, ...]) is nan.
        _sweep_case("sweep_diverging", (1e20, 1e-3, 1e-5), seed=3, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        PropertyMatches(CompileSettings(), "optimizer", points=1, hint=ADAM_HINT, function="compile_with_adam"),
        PropertyMatches(CompileSettings(), "learning_rate", points=2, hint=ADAM_HINT, function="compile_with_adam"),
        PropertyMatches(CompileSettings(), "loss", points=1, function="compile_with_adam"),
        MetricAtLeast(Trained(Recipe(DATA, epochs=10, compile="student")), margin=0.05, points=2,
                      cases=("default",)),
        ValueEquals(points=3, function="best_learning_rate"),
    ),
    misconceptions=MISCONCEPTIONS,
)

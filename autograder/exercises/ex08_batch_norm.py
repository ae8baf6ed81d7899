from autograder.spec import (
    Case,
    EquivalentByBehaviour,
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

# Very few epochs: convergence speed is what batch normalization buys. Batches of 16 give its moving
# averages (used at inference) enough steps to catch up within 3 epochs.
QUICK = Recipe("digits_flat", epochs=3, batch_size=16, learning_rate=3e-3)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
BN_CASES = ("with_bn", "wine", "single")
BASELINE_CASES = ("baseline", "wine_baseline")
BLOCK = """            model.add(layers.Dense(units, use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
"""


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


MISCONCEPTIONS = (
    Misconception("Dense keeps its bias",
        edits=(("layers.Dense(units, use_bias=False)", "layers.Dense(units)"),),
        fails=each(BN_CASES, "param_counts", "layer_config"),
        says="layer 1 Dense(64): expected 4,096 trainable parameters, got 4,160", slow=True),
    Misconception("normalization after the activation",
        edits=(("""            model.add(layers.Dense(units, use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
""", """            model.add(layers.Dense(units, activation="relu", use_bias=False))
            model.add(layers.BatchNormalization())
"""),),
        # The same weights in fewer layers: the totals match, the layer sequence does not.
        fails=each(BN_CASES, "layer_types", "output_shapes", "layer_config"),
        says="expected 10 layers, got 7", slow=True),
    Misconception("batch_norm flag ignored",
        edits=(("        if batch_norm:\n", "        if True:\n"),),
        fails=each(BASELINE_CASES, "layer_types", "output_shapes", "param_counts", "layer_config",
                   "normalized_per_feature", "batch_independent_training"),
        says="expected 4 layers, got 10"),
    Misconception("LayerNormalization instead of BatchNormalization",
        edits=(("layers.BatchNormalization()", "layers.LayerNormalization()"),),
        # Also slower: with these bias-free Dense layers it stays below the reference after 3 epochs.
        fails=each(BN_CASES, "normalized_per_feature", "batch_independent_training", "layer_types",
                   "param_counts") + ("with_bn.metric",),
        says="no layer outputs mean 0 and std 1 over the batch, feature by feature (training=True); "
             "expected: 3 layers output", slow=True),
    Misconception("batch normalization with a faster-moving average",
        edits=(("model.add(layers.BatchNormalization())", "model.add(layers.BatchNormalization(momentum=0.9, epsilon=0.01))"),),
        fails=each(BN_CASES, "layer_config"),
        says="layer 2 BatchNormalization: epsilon expected 0.001, got 0.01; layer 2 BatchNormalization: "
             "momentum expected 0.99, got 0.9"),
    Misconception("ELU in place of relu in nested blocks",
        edits=((BLOCK, ("            model.add(keras.Sequential([layers.Dense(units, use_bias=False), "
                  "layers.BatchNormalization(), layers.ELU()]))\n")),),
        # ELU is not an Activation layer, so the layer types are judged by what the model computes: with the
        # reference's weights, the ELU is where its outputs part from the reference's. Shapes and the
        # configuration of the layers that pair up by class match.
        fails=each(BN_CASES, "layer_types"),
        says="layer 3 ELU is where they part (up to layer 2 BatchNormalization, the outputs equal those of the "
             "reference's layer 2 BatchNormalization)"),
    Misconception("relu before the normalization, in nested blocks",
        edits=((BLOCK, ("            model.add(keras.Sequential([layers.Dense(units, use_bias=False, activation='relu'), "
                  "layers.BatchNormalization()]))\n")),),
        fails=each(BN_CASES, "layer_types", "output_shapes", "layer_config"),
        says="the activation of layer 1 Dense(64) is where they part (before it, the outputs equal those of the "
             "reference's layer 1 Dense(64))", slow=True),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=8,
    slug="batch_norm",
    title="Batch normalization between layers",
    concept="BatchNormalization",
    task="""
        `BatchNormalization` rescales each feature using the mean and variance of the current batch
        while training, so the next layer sees inputs of a stable scale, then applies a learned scale
        (gamma) and shift (beta). It also keeps moving averages of the mean and variance, which it uses
        instead at inference: those are weights, but no gradient updates them (non-trainable).

        Write `build_model(input_dim, num_classes, hidden_units, batch_norm)` that returns a
        Sequential model starting with `keras.Input(shape=(input_dim,))` and ending with
        `Dense(num_classes, activation="softmax")`. In between, for each entry `u` of `hidden_units`:

        - with `batch_norm=True`: `Dense(u, use_bias=False)`, then `BatchNormalization()`, then
          `Activation("relu")` (the normalization's beta does the bias's job, so the Dense needs none);
        - with `batch_norm=False` (the baseline): `Dense(u, activation="relu")`.

        Do not compile or train it. The grader checks the parameter counts (a BatchNormalization over
        C features holds 2C trainable and 2C non-trainable values), that each normalization layer
        outputs features of mean 0 and std 1 over a training batch, and trains fresh copies of both
        variants for only 3 epochs (batches of 16) on handwritten digits: the normalized one should
        get further.

        Equivalent spellings earn the same marks: an activation given as its own layer
        (`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
        what the model computes, with the reference's weights put into yours.
    """,
    keras3_notes="""
        `BatchNormalization()` is unchanged from the post. In Keras 3 it normalizes with the batch's
        statistics only when called with `training=True` (inside `fit`); `predict` uses the moving
        averages. `Activation("relu")` as a separate layer puts the normalization between the Dense
        layer's output and its activation.
    """,
    functions=(Function("build_model", returns="model"),),
    cases=(
        Case("with_bn", dict(input_dim=64, num_classes=10, hidden_units=(64, 64, 64), batch_norm=True)),
        Case("baseline", dict(input_dim=64, num_classes=10, hidden_units=(64, 64, 64), batch_norm=False)),
        ### BEGIN HIDDEN TESTS
        Case("wine", dict(input_dim=13, num_classes=3, hidden_units=(16, 8), batch_norm=True), hidden=True, seed=3),
        Case("single", dict(input_dim=5, num_classes=2, hidden_units=(12,), batch_norm=True), hidden=True, seed=7),
        Case("wine_baseline", dict(input_dim=13, num_classes=3, hidden_units=(16, 8), batch_norm=False),
             hidden=True, seed=3),
        ### END HIDDEN TESTS
    ),
    checks=(
        # Blocks nested in Sequentials, ReLU() for Activation("relu"), Dense(u) + Activation("relu") for the
        # baseline's Dense(u, activation="relu"): a structure that differs from the reference's is judged by what
        # it computes.
        EquivalentByBehaviour(LayerTypes(points=2)),
        EquivalentByBehaviour(OutputShapes(points=1)),
        ParamCounts(points=2),
        EquivalentByBehaviour(LayerConfig(points=1)),
        PropertyMatches(ModelBehaviour(), "normalized_per_feature", points=1,
                        hint="put BatchNormalization() right after each hidden Dense layer"),
        PropertyMatches(ModelBehaviour(), "batch_independent_training", points=1,
                        hint="in training mode, batch normalization uses the statistics of the whole batch"),
        MetricAtLeast(Trained(QUICK), margin=0.05, points=2, cases=("with_bn", "baseline")),
    ),
    misconceptions=MISCONCEPTIONS,
)

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

# Tiny batches: batch statistics get noisy there, per-sample statistics do not care.
SMALL_BATCHES = Recipe("digits_flat", epochs=3, batch_size=8)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
LAYER_CASES = ("layer", "wine_layer", "deep_layer")
BATCH_CASES = ("batch", "wine_batch")
BLOCK = """        model.add(layers.Dense(units))
        model.add(normalizers[normalization]())
        model.add(layers.Activation("relu"))
"""
SWAPPED = ("layer_types", "param_counts", "normalized_per_sample", "normalized_per_feature",
           "batch_independent_training")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


MISCONCEPTIONS = (
    Misconception("always LayerNormalization",
        edits=(("normalizers[normalization]()", "layers.LayerNormalization()"),),
        fails=each(BATCH_CASES, *SWAPPED),
        says="layer 2: expected BatchNormalization -> (None, 64), got LayerNormalization -> (None, 64)"),
    Misconception("always BatchNormalization",
        edits=(("normalizers[normalization]()", "layers.BatchNormalization()"),),
        fails=each(LAYER_CASES, "batch_independent_training", "layer_types", "param_counts",
                   "normalized_per_sample", "normalized_per_feature"),
        says="with training=True, a sample's output alone differs from its output inside a batch of 32", slow=True),
    Misconception("normalization after the activation",
        edits=(("""        model.add(normalizers[normalization]())
        model.add(layers.Activation("relu"))
""", """        model.add(layers.Activation("relu"))
        model.add(normalizers[normalization]())
"""),),
        # Same shapes and the same normalizing layers, in the wrong place; the parameter counts say
        # where most plainly. A layer of another class is left to layer_types, not compared key by key.
        fails=each(LAYER_CASES + BATCH_CASES, "param_counts", "layer_types"),
        says="layer 2 LayerNormalization: expected 128 trainable parameters, got 0", slow=True),
    Misconception("ReLU applied before the normalization too",
        edits=(("layers.Dense(units)", 'layers.Dense(units, activation="relu")'),),
        fails=each(LAYER_CASES + BATCH_CASES, "layer_config"),
        says="layer 1 Dense(64): activation expected 'linear', got 'relu'", slow=True),
    Misconception("LeakyReLU in nested blocks",
        edits=((BLOCK, ("        model.add(keras.Sequential([layers.Dense(units), normalizers[normalization](), "
                   "layers.LeakyReLU()]))\n")),),
        # Not an Activation layer, so the layer types are judged by what the model computes: with the
        # reference's weights, the LeakyReLU is where its outputs part from the reference's.
        fails=each(LAYER_CASES + BATCH_CASES, "layer_types"),
        says="layer 3 LeakyReLU is where they part (up to layer 2 LayerNormalization, the outputs equal those "
             "of the reference's layer 2 LayerNormalization)"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=17,
    slug="layer_norm",
    title="LayerNormalization against BatchNormalization",
    concept="LayerNormalization",
    task="""
        `LayerNormalization` normalizes each sample on its own, over that sample's features, then
        applies a learned scale and shift. `BatchNormalization` normalizes each feature over the
        samples of a batch. So a LayerNormalization gives a sample the same output whether it comes
        alone or inside a batch, in training as at inference, and it keeps no moving averages (no
        non-trainable weights), while a BatchNormalization in training mode depends on the batch.

        Write `build_model(input_dim, num_classes, hidden_units, normalization)` that returns a
        Sequential model starting with `keras.Input(shape=(input_dim,))` and ending with
        `Dense(num_classes, activation="softmax")`. In between, for each entry `u` of `hidden_units`:
        `Dense(u)`, then the normalization layer, then `Activation("relu")`. The normalization layer is
        `LayerNormalization()` when `normalization="layer"` and `BatchNormalization()` when
        `normalization="batch"` (default arguments in both).

        Do not compile or train it. The grader feeds a fixed batch to a fresh copy and checks which
        layers normalize each sample and which normalize each feature, whether a sample's output
        depends on its batch in training mode, the parameter counts, and trains the LayerNormalization
        variant with batches of 8 for 3 epochs on handwritten digits.

        Equivalent spellings earn the same marks: an activation given as its own layer
        (`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
        what the model computes, with the reference's weights put into yours.
    """,
    keras3_notes="""
        `LayerNormalization()` is unchanged from the post; it normalizes over the last axis by default
        (`axis=-1`). Neither layer needs `input_shape=`: start the model with `keras.Input(shape=...)`.
    """,
    functions=(Function("build_model", returns="model"),),
    cases=(
        Case("layer", dict(input_dim=64, num_classes=10, hidden_units=(64, 32), normalization="layer")),
        Case("batch", dict(input_dim=64, num_classes=10, hidden_units=(64, 32), normalization="batch")),
        ### BEGIN HIDDEN TESTS
        Case("wine_layer", dict(input_dim=13, num_classes=3, hidden_units=(16,), normalization="layer"),
             hidden=True, seed=4),
        Case("deep_layer", dict(input_dim=10, num_classes=2, hidden_units=(32, 16, 8), normalization="layer"),
             hidden=True, seed=8),
        Case("wine_batch", dict(input_dim=13, num_classes=3, hidden_units=(16,), normalization="batch"),
             hidden=True, seed=4),
        ### END HIDDEN TESTS
    ),
    checks=(
        # Blocks nested in Sequentials, ReLU() for Activation("relu"): a structure that differs from the
        # reference's is judged by what it computes.
        EquivalentByBehaviour(LayerTypes(points=2)),
        EquivalentByBehaviour(OutputShapes(points=1)),
        ParamCounts(points=2),
        EquivalentByBehaviour(LayerConfig(points=1)),
        PropertyMatches(ModelBehaviour(), "normalized_per_sample", points=1,
                        hint="LayerNormalization normalizes each sample over its own features"),
        PropertyMatches(ModelBehaviour(), "normalized_per_feature", points=1,
                        hint="BatchNormalization normalizes each feature over the batch"),
        PropertyMatches(ModelBehaviour(), "batch_independent_training", points=1,
                        hint="only batch statistics make a sample's output depend on the rest of its batch"),
        MetricAtLeast(Trained(SMALL_BATCHES), margin=0.05, points=2, cases=("layer",)),
    ),
    misconceptions=MISCONCEPTIONS,
)

from autograder.spec import (
    Case,
    EquivalentByBehaviour,
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

# Tiny batches: batch statistics get noisy there, per-sample statistics do not care.
SMALL_BATCHES = Recipe("digits_flat", epochs=3, batch_size=8)

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
)

from autograder.spec import (
    Case,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    Misconception,
    OutputShapes,
    ParamCounts,
    Recipe,
    Trained,
)

TOPICS = Recipe("topic_tokens", epochs=10, batch_size=32, learning_rate=1e-2)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
ALL_CASES = ("default", "one_dim", "large_vocab", "binary")
SUMMARY_CHECKS = ("layer_types", "output_shapes", "param_counts", "layer_config")


def failing(*checks: str, cases: tuple[str, ...] = ALL_CASES) -> tuple[str, ...]:
    return tuple(f"{case}.{check}" for check in checks for case in cases)


MISCONCEPTIONS = (
    Misconception("Keras 2 style input_length instead of an Input",
        edits=(("keras.Input(shape=(sequence_length,)),\n        layers.Embedding(input_dim=vocab_size, "
          "output_dim=output_dim),",
          "layers.Embedding(input_dim=vocab_size, output_dim=output_dim, input_length=sequence_length),"),),
        # The model is never built, so nothing about its layers can be read; the grader's own training
        # builds its fresh copy from the data and still measures the accuracy.
        fails=failing(*SUMMARY_CHECKS),
        says="the model was never built"),
    Misconception("one embedding row per position instead of per word",
        edits=(("input_dim=vocab_size", "input_dim=sequence_length"),),
        # Word ids beyond the table's rows cannot be looked up, so training the default cases fails.
        fails=(failing("param_counts", "layer_config") + failing("metric", cases=("default", "one_dim"))),
        says="layer 1 Embedding(40 -> 16): expected 640 trainable parameters, got 192", slow=True),
    Misconception("the post's output_dim=128 whatever the argument",
        edits=(("output_dim=output_dim", "output_dim=128"),),
        fails=failing("output_shapes", "param_counts", "layer_config"),
        says="layer 1 Embedding(40 -> 16): expected output (None, 12, 16), got (None, 12, 128)", slow=True),
    Misconception("id 0 masked out of the average",
        edits=(("output_dim=output_dim)", "output_dim=output_dim, mask_zero=True)"),),
        # The shapes and the table's size agree; the average then skips every position holding id 0.
        fails=failing("layer_config"),
        says="layer 1 Embedding(40 -> 16): mask_zero expected False, got True"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=12,
    slug="embedding",
    title="Word embeddings for text classification",
    concept="Embedding",
    task="""
        A tokenizer turns each word into an integer id. An `Embedding(input_dim, output_dim)` layer is a
        trainable lookup table with one row of `output_dim` numbers per id: it holds exactly
        `input_dim * output_dim` parameters, and training moves words that act alike close together.

        Write `build_text_classifier(vocab_size, sequence_length, output_dim, num_classes)` that
        returns a Sequential model:

        1. `keras.Input(shape=(sequence_length,))`: one sentence of word ids;
        2. `Embedding(input_dim=vocab_size, output_dim=output_dim)`: a vector per word,
           giving `(None, sequence_length, output_dim)`;
        3. `GlobalAveragePooling1D()`: the average of the sentence's word vectors, `(None, output_dim)`;
        4. `Dense(num_classes, activation="softmax")`.

        The grader trains a fresh copy on generated sentences of 12 word ids (vocabulary of 40) about
        4 topics, once with `output_dim=16` and once with `output_dim=1`, and compares each with the
        reference trained the same way: see how much a one-number embedding loses. Other vocabulary
        sizes, lengths and dimensions are checked too.
    """,
    keras3_notes="""
        `Embedding(..., input_length=N)` no longer exists: Keras 3 drops the argument with a warning,
        so a Sequential that starts with it is never built (its summary shows `?` and `count_params()`
        fails). Start the model with `keras.Input(shape=(sequence_length,))` instead. The layer itself,
        `Embedding(input_dim, output_dim)`, is unchanged.
    """,
    functions=(Function("build_text_classifier", returns="model"),),
    cases=(
        Case("default", dict(vocab_size=40, sequence_length=12, output_dim=16, num_classes=4)),
        Case("one_dim", dict(vocab_size=40, sequence_length=12, output_dim=1, num_classes=4)),
        ### BEGIN HIDDEN TESTS
        Case("large_vocab", dict(vocab_size=5000, sequence_length=40, output_dim=64, num_classes=3),
             hidden=True),
        Case("binary", dict(vocab_size=300, sequence_length=7, output_dim=5, num_classes=2), hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2),
        OutputShapes(points=2),
        ParamCounts(points=2),
        LayerConfig(points=2),
        MetricAtLeast(Trained(TOPICS), margin=0.05, points=2, cases=("default", "one_dim")),
    ),
    misconceptions=MISCONCEPTIONS,
)

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

ORDER = Recipe("token_order", epochs=6, batch_size=64, learning_rate=1e-2)
ENCODER, STACKED = "build_sequence_encoder", "build_stacked_lstm"

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
ALL_CHECKS = ("layer_types", "output_shapes", "param_counts", "layer_config")


MISCONCEPTIONS = (
    Misconception("every LSTM returns sequences, the last one too",
        edits=(("return_sequences=position < len(units) - 1", "return_sequences=True"),),
        # The Dense layer then scores every step instead of the sentence, so the grader cannot train it
        # on one label per sentence either.
        fails=("stacked.output_shapes", "stacked.layer_config", "stacked.metric",
               "three_deep.output_shapes", "three_deep.layer_config",
               "single.output_shapes", "single.layer_config"),
        says="layer 3 LSTM(16): expected output (None, 16), got (None, 10, 16)"),
    Misconception("stacked LSTMs without return_sequences",
        edits=(("layers.LSTM(count, return_sequences=position < len(units) - 1)", "layers.LSTM(count)"),),
        # A second LSTM needs a sequence; Keras refuses to build the stack, so both stacked cases get
        # nothing, while a single LSTM is right.
        fails=tuple(f"stacked.{check}" for check in (*ALL_CHECKS, "metric"))
        + tuple(f"three_deep.{check}" for check in ALL_CHECKS),
        says="expected ndim=3, found ndim=2"),
    Misconception("the encoder ignores return_sequences",
        edits=(("layers.LSTM(units, return_sequences=return_sequences)", "layers.LSTM(units)"),),
        fails=("sequences.output_shapes", "sequences.layer_config",
               "long_sequences.output_shapes", "long_sequences.layer_config"),
        says="layer 1 LSTM(32, return_sequences): expected output (None, 10, 32), got (None, 32)"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=13,
    slug="lstm",
    title="LSTM outputs: the last state or the whole sequence",
    concept="LSTM",
    task="""
        An `LSTM(units)` layer reads a sequence step by step and carries a memory (its cell state)
        from one step to the next. By default it outputs only its state after the last step,
        `(None, units)`. With `return_sequences=True` it outputs its state after every step,
        `(None, steps, units)`: that is what a second recurrent layer stacked on top needs as input.

        Write two functions that return Sequential models (do not compile them):

        1. `build_sequence_encoder(sequence_length, num_features, units, return_sequences)`:
           `keras.Input(shape=(sequence_length, num_features))`, then one
           `LSTM(units, return_sequences=return_sequences)`.
        2. `build_stacked_lstm(vocab_size, sequence_length, embedding_dim, units, num_classes)`:
           `keras.Input(shape=(sequence_length,))`, `Embedding(vocab_size, embedding_dim)`, then one
           `LSTM(u)` per entry `u` of `units`, in order, where every LSTM except the last has
           `return_sequences=True`, then `Dense(num_classes, activation="softmax")`.

        The grader trains a fresh copy of your stacked model with `units=(16, 16)` on generated
        sequences of 10 word ids where the label says whether word A comes before word B: both words
        always occur, so only a layer that remembers what it has read can tell. Try giving the last
        LSTM `return_sequences=True` as well and look at the output shape the Dense layer then gets.
    """,
    keras3_notes="""
        `LSTM(64)` and `return_sequences=True` are unchanged. Start models with `keras.Input(...)`
        rather than `input_shape=` on the first layer. On a GPU Keras 3 picks the fast cuDNN kernel by
        itself when the layer keeps its default activations; there is no separate `CuDNNLSTM` layer.
    """,
    functions=(Function(ENCODER, returns="model"), Function(STACKED, returns="model")),
    cases=(
        Case("sequences", dict(sequence_length=10, num_features=8, units=32, return_sequences=True),
             function=ENCODER),
        Case("last_state", dict(sequence_length=10, num_features=8, units=32, return_sequences=False),
             function=ENCODER),
        Case("stacked", dict(vocab_size=20, sequence_length=10, embedding_dim=8, units=(16, 16), num_classes=2),
             function=STACKED),
        ### BEGIN HIDDEN TESTS
        Case("long_sequences", dict(sequence_length=25, num_features=3, units=12, return_sequences=True),
             function=ENCODER, hidden=True),
        Case("short_last_state", dict(sequence_length=4, num_features=20, units=6, return_sequences=False),
             function=ENCODER, hidden=True),
        Case("three_deep", dict(vocab_size=100, sequence_length=15, embedding_dim=12, units=(32, 16, 8),
                                num_classes=5), function=STACKED, hidden=True),
        Case("single", dict(vocab_size=50, sequence_length=6, embedding_dim=4, units=(10,), num_classes=3),
             function=STACKED, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=1),
        OutputShapes(points=2),
        ParamCounts(points=1),
        LayerConfig(points=2),
        MetricAtLeast(Trained(ORDER), margin=0.05, points=2, cases=("stacked",)),
    ),
    misconceptions=MISCONCEPTIONS,
)

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
    ValueEquals,
)

ORDER = Recipe("token_order", epochs=6, batch_size=64, learning_rate=1e-2)
BUILD, COUNT = "build_recurrent_classifier", "recurrent_param_count"
ORDER_TASK = dict(vocab_size=20, sequence_length=10, embedding_dim=8, units=16, num_classes=2)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
MISCONCEPTIONS = (
    Misconception("the textbook GRU formula, one bias per block",
        edits=(("return 3 * (one_gate + 2 * units)", "return 3 * (one_gate + units)"),),
        # Keras' default reset_after=True keeps separate input and recurrent biases.
        fails=("count_gru.value", "count_gru_odd.value"),
        says="expected 1,248, got 1,200"),
    Misconception("a float count (units squared as units ** 2.0)",
        edits=(("one_gate = units * (units + input_dim)", "one_gate = units ** 2.0 + units * input_dim"),),
        fails=("count_gru.value", "count_lstm.value", "count_gru_odd.value", "count_lstm_big.value"),
        says="expected an int (1,248), got the float 1248.0: return an integer, e.g. int(...)"),
    Misconception("an LSTM whatever the cell",
        edits=(('{"gru": layers.GRU, "lstm": layers.LSTM}[cell]', "layers.LSTM"),),
        # An LSTM solves the order task as well as the GRU does, so only the structure gives it away.
        fails=("gru.layer_types", "gru.param_counts", "gru_wide.layer_types", "gru_wide.param_counts"),
        says="layer 2: expected GRU(16) -> (None, 16), got LSTM(16) -> (None, 16)", slow=True),
    Misconception("the post's 64 units whatever the argument",
        edits=(("recurrent(units)", "recurrent(64)"),),
        # gru_wide asks for 64 units itself, so only the other cases catch the hard-coded width.
        fails=tuple(f"{case}.{check}" for case in ("gru", "lstm", "lstm_small")
                    for check in ("output_shapes", "param_counts", "layer_config")),
        says="layer 2 GRU(16): expected output (None, 16), got (None, 64)", slow=True),
    Misconception("recurrent dropout the task does not ask for",
        edits=(("recurrent(units)", "recurrent(units, recurrent_dropout=0.2)"),),
        # Shapes and parameter counts agree: only the whole configuration tells them apart.
        fails=tuple(f"{case}.layer_config" for case in ("gru", "lstm", "gru_wide", "lstm_small")),
        says="layer 2 GRU(16): recurrent_dropout expected 0.0, got 0.2"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=14,
    slug="gru",
    title="GRU against LSTM on the same task",
    concept="GRU",
    task="""
        A GRU is a lighter cousin of the LSTM: it has three weight blocks (update gate, reset gate,
        candidate state) where the LSTM has four (input, forget and output gates, candidate), and no
        separate cell state. Each block holds an input kernel (`input_dim x units`), a recurrent kernel
        (`units x units`) and biases. Keras' GRU uses `reset_after=True` by default, which gives each
        block two bias vectors instead of one: GRU `3 * (units * (units + input_dim) + 2 * units)`,
        LSTM `4 * (units * (units + input_dim) + units)` parameters.

        Write two functions:

        1. `build_recurrent_classifier(cell, vocab_size, sequence_length, embedding_dim, units,
           num_classes)`: a Sequential model of `keras.Input(shape=(sequence_length,))`,
           `Embedding(vocab_size, embedding_dim)`, `GRU(units)` when `cell == "gru"` or `LSTM(units)`
           when `cell == "lstm"` (default arguments otherwise), then
           `Dense(num_classes, activation="softmax")`. Do not compile it.
        2. `recurrent_param_count(cell, input_dim, units)`: the parameter count of that GRU or LSTM
           layer, computed with the formula (do not build a layer).

        The grader trains a fresh GRU model and a fresh LSTM model on generated sequences of 10 word
        ids (does word A come before word B?) and compares each with the reference of the same kind.
        Compare them yourself as well: train both on such data and time `model.fit` with
        `time.perf_counter()`. Training time depends on the machine and its load, so it is something
        to observe, not something graded.
    """,
    keras3_notes="""
        `GRU(64)` is unchanged. Its default `reset_after=True` (the default since TensorFlow 2.0) adds a
        second bias per block, so the textbook formula without it undercounts by `3 * units`. There is no
        `CuDNNGRU` layer: on a GPU the plain `GRU` uses cuDNN by itself when it keeps its defaults.
    """,
    functions=(Function(BUILD, returns="model"), Function(COUNT, returns="value")),
    cases=(
        Case("gru", dict(cell="gru", **ORDER_TASK), function=BUILD),
        Case("lstm", dict(cell="lstm", **ORDER_TASK), function=BUILD),
        Case("count_gru", dict(cell="gru", input_dim=8, units=16), function=COUNT),
        Case("count_lstm", dict(cell="lstm", input_dim=8, units=16), function=COUNT),
        ### BEGIN HIDDEN TESTS
        Case("gru_wide", dict(cell="gru", vocab_size=1000, sequence_length=30, embedding_dim=32, units=64,
                              num_classes=3), function=BUILD, hidden=True),
        Case("lstm_small", dict(cell="lstm", vocab_size=50, sequence_length=5, embedding_dim=3, units=7,
                                num_classes=4), function=BUILD, hidden=True),
        Case("count_gru_odd", dict(cell="gru", input_dim=3, units=5), function=COUNT, hidden=True),
        Case("count_lstm_big", dict(cell="lstm", input_dim=128, units=64), function=COUNT, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2, function=BUILD),
        OutputShapes(points=1, function=BUILD),
        ParamCounts(points=2, function=BUILD),
        LayerConfig(points=1, function=BUILD),
        MetricAtLeast(Trained(ORDER), margin=0.05, points=2, cases=("gru", "lstm")),
        ValueEquals(points=2, function=COUNT),
    ),
    misconceptions=MISCONCEPTIONS,
)

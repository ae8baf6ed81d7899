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

LONG_ORDER = Recipe("token_order_long", epochs=6, batch_size=64, learning_rate=1e-2)
BUILD, COUNT = "build_rnn_classifier", "rnn_param_counts"
LONG_ORDER_TASK = dict(vocab_size=20, sequence_length=20, embedding_dim=8, units=16, num_classes=2)
CELLS = ("simple_rnn", "lstm", "gru")

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
BUILD_CASES = ("simple_rnn", "lstm", "gru", "simple_rnn_wide", "gru_small")


MISCONCEPTIONS = (
    Misconception("a SimpleRNN whatever the cell",
        edits=(('{"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}[cell]',
          "layers.SimpleRNN"),),
        # On 20 steps a SimpleRNN learns the order task as well, so only the structure gives it away.
        fails=("lstm.layer_types", "lstm.param_counts", "gru.layer_types", "gru.param_counts",
               "gru_small.layer_types", "gru_small.param_counts"),
        says="layer 2: expected LSTM(16) -> (None, 16), got SimpleRNN(16) -> (None, 16)", slow=True),
    Misconception("GRU counted without reset_after's second bias",
        edits=(('"gru": 3 * (block + units)', '"gru": 3 * block'),),
        fails=("counts.value", "counts_small.value", "counts_wide.value"),
        says="expected {'simple_rnn': 400, 'lstm': 1600, 'gru': 1248}"),
    Misconception("a float count for the LSTM",
        edits=(('"lstm": 4 * block', '"lstm": 4.0 * block'),),
        fails=("counts.value", "counts_small.value", "counts_wide.value"),
        says="at ['lstm']: expected an int (1,600), got the float 1600.0: return an integer, e.g. int(...)"),
    Misconception("the recurrent layer returns sequences",
        edits=(("recurrent(units)", "recurrent(units, return_sequences=True)"),),
        # The softmax then scores every step, which the grader cannot train on one label per sequence.
        fails=(tuple(f"{case}.{check}" for case in BUILD_CASES for check in ("output_shapes", "layer_config"))
               + ("simple_rnn.metric", "lstm.metric", "gru.metric")),
        says="layer 2 SimpleRNN(16): expected output (None, 16), got (None, 20, 16)", slow=True),
    Misconception("input dropout the task does not ask for",
        edits=(("recurrent(units)", "recurrent(units, dropout=0.3)"),),
        fails=tuple(f"{case}.layer_config" for case in BUILD_CASES) + ("simple_rnn.metric",),
        says="layer 2 SimpleRNN(16): dropout expected 0.0, got 0.3"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=16,
    slug="simple_rnn",
    title="SimpleRNN against LSTM and GRU",
    concept="SimpleRNN",
    task="""
        A `SimpleRNN(units)` layer is the plainest recurrent layer: at every step its new state is
        `tanh(input @ W + state @ U + b)`, a single weight block with no gates. That makes it small, but
        what it saw many steps ago fades quickly, and its gradients fade with it. LSTM and GRU add gates
        that decide what to keep, at the price of four (LSTM) or three (GRU) weight blocks.

        Write two functions:

        1. `build_rnn_classifier(cell, vocab_size, sequence_length, embedding_dim, units, num_classes)`:
           a Sequential model of `keras.Input(shape=(sequence_length,))`,
           `Embedding(vocab_size, embedding_dim)`, one recurrent layer of `units` with default
           arguments (`SimpleRNN` when `cell == "simple_rnn"`, `LSTM` for `"lstm"`, `GRU` for
           `"gru"`), then `Dense(num_classes, activation="softmax")`. Do not compile it.
        2. `rnn_param_counts(input_dim, units)`: a dict `{"simple_rnn": ..., "lstm": ..., "gru": ...}`
           with the parameter count of each of those layers reading `input_dim` features per step
           (one block is `units * (units + input_dim) + units`; Keras' GRU has one extra bias vector
           of `units` per block).

        The grader trains a fresh copy of each kind on generated sequences of 20 word ids, where the
        label says whether word A comes before word B, with the two words often far apart. Each kind
        is compared with the reference model of the same kind, so a SimpleRNN only has to do as well
        as the reference SimpleRNN. Sequences this short keep grading fast, and all three kinds learn
        them; compare the three yourself on longer sequences or on a task with more to remember
        (e.g. a negation such as "the plot was not very good", where the label depends on a word
        several steps back), and watch the epochs each needs and where the SimpleRNN falls behind.
    """,
    keras3_notes="""
        `SimpleRNN(32)` is unchanged. Start the model with `keras.Input(shape=(sequence_length,))`
        rather than `input_shape=` on the first layer, which Keras 3 accepts only with a warning.
    """,
    functions=(Function(BUILD, returns="model"), Function(COUNT, returns="value")),
    cases=(
        *(Case(cell, dict(cell=cell, **LONG_ORDER_TASK), function=BUILD) for cell in CELLS),
        Case("counts", dict(input_dim=8, units=16), function=COUNT),
        ### BEGIN HIDDEN TESTS
        Case("simple_rnn_wide", dict(cell="simple_rnn", vocab_size=500, sequence_length=12, embedding_dim=16,
                                     units=32, num_classes=3), function=BUILD, hidden=True),
        Case("gru_small", dict(cell="gru", vocab_size=30, sequence_length=4, embedding_dim=2, units=3,
                               num_classes=5), function=BUILD, hidden=True),
        Case("counts_small", dict(input_dim=3, units=5), function=COUNT, hidden=True),
        Case("counts_wide", dict(input_dim=100, units=64), function=COUNT, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        LayerTypes(points=2, function=BUILD),
        OutputShapes(points=1, function=BUILD),
        ParamCounts(points=1, function=BUILD),
        LayerConfig(points=1, function=BUILD),
        MetricAtLeast(Trained(LONG_ORDER), margin=0.05, points=2, cases=CELLS),
        ValueEquals(points=3, function=COUNT),
    ),
    misconceptions=MISCONCEPTIONS,
)

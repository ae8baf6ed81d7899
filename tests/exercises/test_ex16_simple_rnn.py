from contract import Wrong, contract_tests

EXERCISE = "ex16"

BUILD_CASES = ("simple_rnn", "lstm", "gru", "simple_rnn_wide", "gru_small")

WRONG = [
    Wrong("a SimpleRNN whatever the cell",
          (('{"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}[cell]',
            "layers.SimpleRNN"),),
          # On 20 steps a SimpleRNN learns the order task as well, so only the structure gives it away.
          fails=("lstm.layer_types", "lstm.param_counts", "gru.layer_types", "gru.param_counts",
                 "gru_small.layer_types", "gru_small.param_counts"),
          says="layer 2: expected LSTM(16) -> (None, 16), got SimpleRNN(16) -> (None, 16)", slow=True),
    Wrong("GRU counted without reset_after's second bias",
          (('"gru": 3 * (block + units)', '"gru": 3 * block'),),
          fails=("counts.value", "counts_small.value", "counts_wide.value"),
          says="expected {'simple_rnn': 400, 'lstm': 1600, 'gru': 1248}"),
    Wrong("a float count for the LSTM",
          (('"lstm": 4 * block', '"lstm": 4.0 * block'),),
          fails=("counts.value", "counts_small.value", "counts_wide.value"),
          says="at ['lstm']: expected an int (1,600), got the float 1600.0: return an integer, e.g. int(...)"),
    Wrong("the recurrent layer returns sequences",
          (("recurrent(units)", "recurrent(units, return_sequences=True)"),),
          # The softmax then scores every step, which the grader cannot train on one label per sequence.
          fails=(tuple(f"{case}.{check}" for case in BUILD_CASES for check in ("output_shapes", "layer_config"))
                 + ("simple_rnn.metric", "lstm.metric", "gru.metric")),
          says="layer 2 SimpleRNN(16): expected output (None, 16), got (None, 20, 16)", slow=True),
    Wrong("input dropout the task does not ask for",
          (("recurrent(units)", "recurrent(units, dropout=0.3)"),),
          fails=tuple(f"{case}.layer_config" for case in BUILD_CASES) + ("simple_rnn.metric",),
          says="layer 2 SimpleRNN(16): dropout expected 0.0, got 0.3"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

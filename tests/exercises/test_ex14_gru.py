from contract import Wrong, contract_tests

EXERCISE = "ex14"

WRONG = [
    Wrong("the textbook GRU formula, one bias per block",
          (("return 3 * (one_gate + 2 * units)", "return 3 * (one_gate + units)"),),
          # Keras' default reset_after=True keeps separate input and recurrent biases.
          fails=("count_gru.value", "count_gru_odd.value"),
          says="expected 1,248, got 1,200"),
    Wrong("a float count (units squared as units ** 2.0)",
          (("one_gate = units * (units + input_dim)", "one_gate = units ** 2.0 + units * input_dim"),),
          fails=("count_gru.value", "count_lstm.value", "count_gru_odd.value", "count_lstm_big.value"),
          says="expected an int (1,248), got the float 1248.0: return an integer, e.g. int(...)"),
    Wrong("an LSTM whatever the cell",
          (('{"gru": layers.GRU, "lstm": layers.LSTM}[cell]', "layers.LSTM"),),
          # An LSTM solves the order task as well as the GRU does, so only the structure gives it away.
          fails=("gru.layer_types", "gru.param_counts", "gru_wide.layer_types", "gru_wide.param_counts"),
          says="layer 2: expected GRU(16) -> (None, 16), got LSTM(16) -> (None, 16)", slow=True),
    Wrong("the post's 64 units whatever the argument",
          (("recurrent(units)", "recurrent(64)"),),
          # gru_wide asks for 64 units itself, so only the other cases catch the hard-coded width.
          fails=tuple(f"{case}.{check}" for case in ("gru", "lstm", "lstm_small")
                      for check in ("output_shapes", "param_counts", "layer_config")),
          says="layer 2 GRU(16): expected output (None, 16), got (None, 64)", slow=True),
    Wrong("recurrent dropout the task does not ask for",
          (("recurrent(units)", "recurrent(units, recurrent_dropout=0.2)"),),
          # Shapes and parameter counts agree: only the whole configuration tells them apart.
          fails=tuple(f"{case}.layer_config" for case in ("gru", "lstm", "gru_wide", "lstm_small")),
          says="layer 2 GRU(16): recurrent_dropout expected 0.0, got 0.2"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

from contract import Wrong, contract_tests

EXERCISE = "ex13"

ALL_CHECKS = ("layer_types", "output_shapes", "param_counts", "layer_config")

WRONG = [
    Wrong("every LSTM returns sequences, the last one too",
          (("return_sequences=position < len(units) - 1", "return_sequences=True"),),
          # The Dense layer then scores every step instead of the sentence, so the grader cannot train it
          # on one label per sentence either.
          fails=("stacked.output_shapes", "stacked.layer_config", "stacked.metric",
                 "three_deep.output_shapes", "three_deep.layer_config",
                 "single.output_shapes", "single.layer_config"),
          says="layer 3 LSTM(16): expected output (None, 16), got (None, 10, 16)"),
    Wrong("stacked LSTMs without return_sequences",
          (("layers.LSTM(count, return_sequences=position < len(units) - 1)", "layers.LSTM(count)"),),
          # A second LSTM needs a sequence; Keras refuses to build the stack, so both stacked cases get
          # nothing, while a single LSTM is right.
          fails=tuple(f"stacked.{check}" for check in (*ALL_CHECKS, "metric"))
          + tuple(f"three_deep.{check}" for check in ALL_CHECKS),
          says="expected ndim=3, found ndim=2"),
    Wrong("the encoder ignores return_sequences",
          (("layers.LSTM(units, return_sequences=return_sequences)", "layers.LSTM(units)"),),
          fails=("sequences.output_shapes", "sequences.layer_config",
                 "long_sequences.output_shapes", "long_sequences.layer_config"),
          says="layer 1 LSTM(32, return_sequences): expected output (None, 10, 32), got (None, 32)"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

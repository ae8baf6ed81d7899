from contract import Wrong, contract_tests

EXERCISE = "ex02"
BUILD_CASES = ("default", "narrow", "wine", "tiny")

WRONG = [
    Wrong("bias left out of the count",
          (("return inputs * units + units", "return inputs * units"),),
          fails=("count.value", "count_wide.value", "count_one.value"),
          says="expected 2,080, got 2,048"),
    Wrong("hidden width hard-coded to the example's 64",
          (('layers.Dense(units, activation="relu")', 'layers.Dense(64, activation="relu")'),),
          fails=tuple(f"{case}.{check}" for case in ("narrow", "wine", "tiny")
                      for check in ("output_shapes", "param_counts", "layer_config")),
          says="layer 1 Dense(8): expected output (None, 8), got (None, 64)", slow=True),
    Wrong("tanh instead of relu in the hidden layer",
          (('activation="relu"', 'activation="tanh"'),),
          fails=tuple(f"{case}.layer_config" for case in BUILD_CASES),
          says="layer 1 Dense(64): activation expected 'relu', got 'tanh'", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

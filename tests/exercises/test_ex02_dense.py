from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

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
    Wrong("every hidden weight starts at the same constant",
          (('layers.Dense(units, activation="relu")',
            'layers.Dense(units, activation="relu", kernel_initializer=keras.initializers.Constant(0.1))'),),
          # The biases still tell the units apart enough to learn, so only the configuration says so.
          fails=tuple(f"{case}.layer_config" for case in BUILD_CASES),
          says="layer 1 Dense(64): kernel_initializer expected 'glorot_uniform', got 'Constant(value=0.1)'"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

SAME = [
    Same("the activation function itself and the default initializer named",
         (('layers.Dense(units, activation="relu")',
           'layers.Dense(units, activation=keras.activations.relu, kernel_initializer="glorot_uniform")'),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

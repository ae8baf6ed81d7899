from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex02"
BUILD_CASES = ("default", "narrow", "wine", "tiny")

WRONG = [
    Wrong("bias left out of the count",
          (("return inputs * units + units", "return inputs * units"),),
          fails=("count.value", "count_wide.value", "count_one.value"),
          says="expected 2,080, got 2,048"),
    Wrong("a float count (the bias added as 1.0)",
          (("return inputs * units + units", "return (inputs + 1.0) * units"),),
          # The task asks for a number of parameters: equal as a number, but not an int.
          fails=("count.value", "count_wide.value", "count_one.value"),
          says="expected an int (2,080), got the float 2080.0: return an integer, e.g. int(...)"),
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
    Wrong("tanh in a hidden Dense + Activation pair",
          (('layers.Dense(units, activation="relu"),', 'layers.Dense(units), layers.Activation("tanh"),'),),
          # Structured otherwise than the reference, so judged by what it computes, which differs.
          fails=tuple(f"{case}.{check}" for case in BUILD_CASES
                      for check in ("layer_types", "output_shapes", "layer_config")),
          says="layer 2 Activation('tanh') is where they part (up to layer 1 Dense(64), the outputs equal those "
               "of the reference's layer 1 Dense(64) before its activation)", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

SAME = [
    # The task's hidden Dense(units, activation="relu") as a Dense + Activation pair, or a nested block: the
    # structural checks judge a structure unlike the reference's by its outputs with the reference's weights.
    Same("the hidden activation as a layer of its own",
         (('layers.Dense(units, activation="relu"),', 'layers.Dense(units), layers.Activation("relu"),'),)),
    Same("the hidden layer a block nested in a Sequential, with ReLU() and a positional softmax",
         (('layers.Dense(units, activation="relu"),', "keras.Sequential([layers.Dense(units), layers.ReLU()]),"),
          ('layers.Dense(num_classes, activation="softmax")', 'layers.Dense(num_classes, "softmax")'))),
    Same("the activation function itself and the default initializer named",
         (('layers.Dense(units, activation="relu")',
           'layers.Dense(units, activation=keras.activations.relu, kernel_initializer="glorot_uniform")'),)),
    # A NumPy integer or an integer tensor is an int: it travels back as one.
    Same("the count as a NumPy integer",
         (("import keras\n", "import keras\nimport numpy as np\n"),
          ("return inputs * units + units", "return np.int64(inputs) * units + units"))),
    Same("the count as an integer tensor",
         (("return inputs * units + units", "return keras.ops.add(keras.ops.multiply(inputs, units), units)"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

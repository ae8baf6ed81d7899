from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex02"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

SAME = [
    # The task's hidden Dense(units, activation="relu") as a Dense + Activation pair, or a nested block: the
    # structural checks judge a structure unlike the reference's by its outputs with the reference's weights.
    Same("the hidden activation as a layer of its own",
         (('layers.Dense(units, activation="relu"),', 'layers.Dense(units), layers.Activation("relu"),'),)),
    Same("the hidden layer a block nested in a Sequential, with ReLU() and a positional softmax",
         (('layers.Dense(units, activation="relu"),', "keras.Sequential([layers.Dense(units), layers.ReLU()]),"),
          ('layers.Dense(num_classes, activation="softmax")', 'layers.Dense(num_classes, "softmax")')), slow=True),
    Same("the activation function itself and the default initializer named",
         (('layers.Dense(units, activation="relu")',
           'layers.Dense(units, activation=keras.activations.relu, kernel_initializer="glorot_uniform")'),)),
    # A NumPy integer or an integer tensor is an int: it travels back as one.
    Same("the count as a NumPy integer",
         (("import keras\n", "import keras\nimport numpy as np\n"),
          ("return inputs * units + units", "return np.int64(inputs) * units + units"))),
    Same("the count as an integer tensor",
         (("return inputs * units + units", "return keras.ops.add(keras.ops.multiply(inputs, units), units)"),), slow=True),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

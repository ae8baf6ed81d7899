from contract import contract_tests
from equivalent import Same, equivalent_tests

from autograder.exercises.ex17_layer_norm import BLOCK

EXERCISE = "ex17"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

SAME = [
    # Blocks nested in Sequential or Functional models are flattened as the summary flattens them, for the
    # structural checks and the normalization probes alike; ReLU() is judged by what it computes.
    Same("each hidden block a Sequential of its own, with ReLU()",
         ((BLOCK, ("        model.add(keras.Sequential([layers.Dense(units=units), normalizers[normalization](), "
                    "layers.ReLU()]))\n")),)),
    Same("the hidden layers one Functional model inside the Sequential",
         (("    model = keras.Sequential([keras.Input(shape=(input_dim,))])\n    for units in hidden_units:\n" + BLOCK,
           ("    inputs = keras.Input(shape=(input_dim,))\n    x = inputs\n    for units in hidden_units:\n"
            '        x = layers.Activation("relu")(normalizers[normalization]()(layers.Dense(units)(x)))\n'
            "    model = keras.Sequential([keras.Input(shape=(input_dim,)), keras.Model(inputs, x)])\n")),), slow=True),
]

test_equivalent_structure_earns_full_marks = equivalent_tests(EXERCISE, SAME)

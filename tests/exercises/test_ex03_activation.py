from contract import contract_tests
from equivalent import Same, equivalent_tests

from autograder.exercises.ex03_activation import BLOCK

EXERCISE = "ex03"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

# The Keras 3 notes point to keras.ops.convert_to_numpy: an array (or the tensor itself) holds the same numbers.
SAME = [
    # Blocks nested in Sequentials are flattened as the summary flattens them; keywords and functions for names.
    Same("each hidden Dense and Activation pair a Sequential of its own",
         ((BLOCK, "model.add(keras.Sequential([layers.Dense(units), layers.Activation(activation)]))"),)),
    Same("units and activations given by keyword, softmax as a function",
         (("layers.Dense(units)", "layers.Dense(units=units)"),
          ("layers.Activation(activation)", "layers.Activation(activation=activation)"),
          ('layers.Activation("softmax")', "layers.Activation(keras.activations.softmax)")), slow=True),
    Same("the values as a NumPy array",
         (("return keras.ops.convert_to_numpy(outputs).tolist()", "return keras.ops.convert_to_numpy(outputs)"),)),
    Same("the values as the tensor the activation returned",
         (("return keras.ops.convert_to_numpy(outputs).tolist()", "return outputs"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

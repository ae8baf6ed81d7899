from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex06"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

SAME = [
    Same("a single int for the kernel and the activation function itself",
         (('layers.Conv2D(count, (3, 3), activation="relu")',
           "layers.Conv2D(count, 3, activation=keras.activations.relu)"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

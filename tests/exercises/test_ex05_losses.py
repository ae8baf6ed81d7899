from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex05"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

# The task allows "a list of lists or a 2-D array": a tensor is such an array, and 0 and 1 as ints are the
# reference's 0.0 and 1.0.
SAME = [
    Same("one-hot rows as a tensor",
         (("keras.utils.to_categorical(labels, num_classes=num_classes)", "keras.ops.one_hot(labels, num_classes)"),)),
    Same("one-hot rows as lists of ints",
         (("return keras.utils.to_categorical(labels, num_classes=num_classes)",
           "return [[int(label == c) for c in range(num_classes)] for label in labels]"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

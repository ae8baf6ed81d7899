from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex11"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

# The pooled grid as the layer's own tensor, or a NumPy array, holds the same rows.
SAME = [
    Same("the pooled grid as a tensor",
         (("return keras.ops.convert_to_numpy(pooled)[0, :, :, 0].tolist()", "return pooled[0, :, :, 0]"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex18"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

# The padded grid as the layer's own tensor holds the same rows.
SAME = [
    Same("the padded grid as a tensor",
         (("return keras.ops.convert_to_numpy(padded)[0, :, :, 0].tolist()", "return padded[0, :, :, 0]"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

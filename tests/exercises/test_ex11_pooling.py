from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex11"

WRONG = [
    Wrong("always max pooling in the CNN",
          (("POOLING_LAYERS[pooling](pool_size),", "layers.MaxPooling2D(pool_size),"),),
          # Shapes, parameters and pooling configuration agree; only the layer's class differs, and max
          # pooling trains about as well as average pooling on digits.
          fails=("average.layer_types", "rgb_average_4.layer_types"),
          says="layer 2: expected AveragePooling2D(2x2) -> (None, 4, 4, 16), got MaxPooling2D(2x2)", slow=True),
    Wrong("pool size fixed at 2 in the CNN",
          (("POOLING_LAYERS[pooling](pool_size),", "POOLING_LAYERS[pooling](2),"),),
          # The public cases pool by 2, so only the hidden ones catch it.
          fails=("rgb_average_4.output_shapes", "rgb_average_4.param_counts", "rgb_average_4.layer_config",
                 "max_3.output_shapes", "max_3.param_counts", "max_3.layer_config"),
          says="layer 2 AveragePooling2D(4x4): expected output (None, 4, 4, 16), got (None, 8, 8, 16)", slow=True),
    Wrong("pooling values with same padding",
          (("POOLING_LAYERS[pooling](pool_size)(grid", 'POOLING_LAYERS[pooling](pool_size, padding="same")(grid'),),
          # Only a grid that windows do not tile exactly (5x5 by 2) keeps the partial windows.
          fails=("odd_max.value",),
          says="expected [[-1.0, 4.0], [8.0, -6.0]], got [[-1.0, 4.0, 9.0], [8.0, -6.0, 9.0], [9.0, 9.0, 9.0]]"),
    Wrong("pooling values always by maximum",
          (("POOLING_LAYERS[pooling](pool_size)(grid", "layers.MaxPooling2D(pool_size)(grid"),),
          fails=("grid_average.value", "wide_average_3.value"),
          says="expected [[3.5, 2.0], [2.5, 6.0]], got [[6.0, 5.0], [7.0, 9.0]]"),
    Wrong("pooled grid squeezed, losing a single row",
          (("keras.ops.convert_to_numpy(pooled)[0, :, :, 0].tolist()", "keras.ops.convert_to_numpy(pooled).squeeze().tolist()"),),
          # A 2x6 grid pooled by 2 is one row of three: squeezed, it is no longer a list of rows.
          fails=("negative_max.value",),
          says="expected the list [[-3.0, -1.0, -1.0]], got the list [-3.0, -1.0, -1.0]: the nesting differs, "
               "a list of 1 list of 3 numbers expected, got a list of 3 numbers"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

# The pooled grid as the layer's own tensor, or a NumPy array, holds the same rows.
SAME = [
    Same("the pooled grid as a tensor",
         (("return keras.ops.convert_to_numpy(pooled)[0, :, :, 0].tolist()", "return pooled[0, :, :, 0]"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

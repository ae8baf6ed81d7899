from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex18"

CNN_CASES = ("cnn", "mixed_kernels", "pointwise")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("padding inside the convolution instead of ZeroPadding2D",
          (("        model.add(layers.ZeroPadding2D(same_size_padding(k)))\n", ""),
           ('layers.Conv2D(filters, (k, k), activation="relu")',
            'layers.Conv2D(filters, (k, k), padding="same", activation="relu")')),
          # The feature maps keep their size and the parameters are the same, but the layer is not there.
          fails=each(CNN_CASES, "layer_types", "output_shapes", "layer_config"),
          says="expected 8 layers, got 5; layer 1: expected ZeroPadding2D(padding=((1, 1), (1, 1)))"),
    Wrong("padding of the whole kernel size minus one",
          (("return (kernel_size - 1) // 2", "return kernel_size - 1"),),
          # A 1x1 kernel needs no padding either way, so padding_1 still passes.
          fails=("padding_3.value", "padding_5.value", "padding_7.value",
                 *each(CNN_CASES, "output_shapes", "param_counts", "layer_config")),
          says="expected 1, got 2", slow=True),
    Wrong("padding fixed at 1",
          (("layers.ZeroPadding2D(same_size_padding(k))", "layers.ZeroPadding2D(1)"),),
          # Right for the public 3x3 kernels only.
          fails=each(("mixed_kernels", "pointwise"), "output_shapes", "param_counts", "layer_config"),
          says="layer 2 Conv2D(6, 5x5): expected output (None, 10, 10, 6), got (None, 8, 8, 6)", slow=True),
    Wrong("np.pad instead of the layer",
          (("    grid = np.asarray(values, dtype=\"float32\")\n    padded = layers.ZeroPadding2D(padding)(",
            "    return np.pad(np.asarray(values, dtype=\"float32\"), padding).tolist()\n    padded = ("),),
          # np.pad reads (0, 2) as 0 before and 2 after on both axes; Keras as 0 rows and 2 columns each side.
          fails=("pad_rows_columns.value",),
          says="expected [[0.0, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0], [0.0, 0.0, 4.0, 5.0, 6.0, 0.0, 0.0], "
               "[0.0, 0.0, 7.0, 8.0, 9.0, 0.0, 0.0]]", slow=True),
    Wrong("padding divided with / instead of //",
          (("return (kernel_size - 1) // 2", "return (kernel_size - 1) / 2"),),
          # The task asks for an int; ZeroPadding2D refuses 1.0 as well, so the CNN cannot be built.
          fails=("padding_3.value", "padding_5.value", "padding_7.value", "padding_1.value",
                 *each(CNN_CASES, "layer_types", "output_shapes", "param_counts", "layer_config")),
          says="expected an int (1), got the float 1.0: return an integer, e.g. int(...)"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

# The padded grid as the layer's own tensor holds the same rows.
SAME = [
    Same("the padded grid as a tensor",
         (("return keras.ops.convert_to_numpy(padded)[0, :, :, 0].tolist()", "return padded[0, :, :, 0]"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

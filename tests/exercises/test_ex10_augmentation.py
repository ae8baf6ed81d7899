from contract import contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex10"


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

SAME = [
    Same("symmetric factors written as ranges",
         (("layers.RandomRotation(rotation, seed=seed)", "layers.RandomRotation((-rotation, rotation), seed=seed)"),
          ("layers.RandomZoom(zoom, seed=seed)", "layers.RandomZoom((-zoom, zoom), seed=seed)"),
          ("layers.RandomTranslation(shift, shift, seed=seed)",
           "layers.RandomTranslation((-shift, shift), (-shift, shift), seed=seed)"))),
    Same("the generator's first batch by index",
         (("    x, y = next(batches)\n", "    x, y = batches[0]\n"),)),
    Same("keyword arguments and layers.Input",
         (('layers.RandomFlip("horizontal", seed=seed)', 'layers.RandomFlip(mode="horizontal", seed=seed)'),
          ("        keras.Input(shape=input_shape),\n", "        layers.Input(shape=input_shape),\n"))),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex06"
CASES = ("default", "rgb_deeper", "single")

WRONG = [
    Wrong("only the first convolution",
          (("for count in filters:", "for count in filters[:1]:"),),
          fails=tuple(f"{case}.{check}" for case in ("default", "rgb_deeper")
                      for check in ("layer_types", "output_shapes", "param_counts", "layer_config")),
          says="expected 4 layers, got 3", slow=True),
    Wrong("same padding keeps 8x8 maps",
          (('layers.Conv2D(count, (3, 3), activation="relu")',
            'layers.Conv2D(count, (3, 3), activation="relu", padding="same")'),),
          # padding="same" is a setting of its own: the configuration names it too.
          fails=tuple(f"{case}.{check}" for case in CASES for check in ("output_shapes", "param_counts", "layer_config")),
          says="layer 1 Conv2D(16, 3x3): expected output (None, 6, 6, 16), got (None, 8, 8, 16)", slow=True),
    Wrong("convolutions without activation",
          (('layers.Conv2D(count, (3, 3), activation="relu")', "layers.Conv2D(count, (3, 3))"),),
          fails=tuple(f"{case}.layer_config" for case in CASES),
          says="layer 1 Conv2D(16, 3x3): activation expected 'relu', got 'linear'"),
    Wrong("pooling after every convolution",
          (('model.add(layers.Conv2D(count, (3, 3), activation="relu"))',
            'model.add(layers.Conv2D(count, (3, 3), activation="relu"))\n'
            '        model.add(layers.MaxPooling2D(pool_size=1))'),),
          # Pooling layers hold no weights, so the parameter count still matches.
          fails=tuple(f"{case}.{check}" for case in CASES for check in ("layer_types", "output_shapes", "layer_config")),
          says="unexpected MaxPooling2D(1x1)", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

SAME = [
    Same("a single int for the kernel and the activation function itself",
         (('layers.Conv2D(count, (3, 3), activation="relu")',
           "layers.Conv2D(count, 3, activation=keras.activations.relu)"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex05"
LOSS_LINE = 'loss = "categorical_crossentropy" if label_format == "one_hot" else "sparse_categorical_crossentropy"'

WRONG = [
    Wrong("categorical cross-entropy for integer labels too",
          ((LOSS_LINE, 'loss = "categorical_crossentropy"'),),
          # Fed integer labels, categorical cross-entropy cannot even start training.
          fails=("integer.loss", "integer.metric", "iris_integer.loss"),
          says="loss categorical_crossentropy, which expects one-hot labels; expected: loss "
               "sparse_categorical_crossentropy, which expects integer class labels"),
    Wrong("sparse cross-entropy for one-hot labels too",
          ((LOSS_LINE, 'loss = "sparse_categorical_crossentropy"'),),
          fails=("one_hot.loss", "one_hot.metric", "wine_one_hot.loss", "seven_one_hot.loss"),
          says="loss sparse_categorical_crossentropy, which expects integer class labels; expected: loss "
               "categorical_crossentropy, which expects one-hot labels"),
    Wrong("output width fixed at ten classes",
          (('layers.Dense(num_classes, activation="softmax")', 'layers.Dense(10, activation="softmax")'),),
          fails=tuple(f"{case}.{check}" for case in ("wine_one_hot", "iris_integer", "seven_one_hot")
                      for check in ("output_shapes", "param_counts", "layer_config")),
          says="layer 2 Dense(3): expected output (None, 3), got (None, 10)"),
    Wrong("one-hot width taken from the labels",
          (("keras.utils.to_categorical(labels, num_classes=num_classes)", "keras.utils.to_categorical(labels)"),),
          # Right whenever the largest class occurs; wrong when it does not.
          fails=("encode_missing_class.value",),
          says="expected [[0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]], "
               "got [[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]"),
    Wrong("one-hot rows of True and False",
          (("keras.utils.to_categorical(labels, num_classes=num_classes)",
            "keras.utils.to_categorical(labels, num_classes=num_classes).astype(bool)"),),
          # A bool is not a number: the rows the task shows hold 0 and 1.
          fails=("encode.value", "encode_digits.value", "encode_missing_class.value"),
          says="got the list [[True, False, False], [False, False, True], [False, True, False], "
               "[False, False, True]]: a list of 4 lists of 3 numbers expected, got a list of 4 lists of 3 bools"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

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

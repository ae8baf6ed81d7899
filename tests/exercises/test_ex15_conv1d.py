from contract import Wrong, contract_tests

EXERCISE = "ex15"
MODEL_CASES = ("default", "wide", "multichannel", "short")
SIZE_CASES = ("sizes", "sizes_wide", "sizes_whole")

WRONG = [
    Wrong("same padding keeps the length",
          (('layers.Conv1D(filters, kernel_size, activation="relu")',
            'layers.Conv1D(filters, kernel_size, padding="same", activation="relu")'),),
          # Same padding does not change what the pooled model learns, only the sequence it pools over.
          fails=tuple(f"{case}.{check}" for case in MODEL_CASES for check in ("output_shapes", "layer_config")),
          says="layer 1 Conv1D(16, 3): expected output (None, 62, 16), got (None, 64, 16)", slow=True),
    Wrong("kernel size hard-coded to the post's 3",
          (("layers.Conv1D(filters, kernel_size,", "layers.Conv1D(filters, 3,"),),
          # The kernel-3 model still classifies the waves well enough for the wide case's threshold.
          fails=tuple(f"{case}.{check}" for case in ("wide", "multichannel", "short")
                      for check in ("output_shapes", "param_counts", "layer_config")),
          says="layer 1 Conv1D(16, 5): expected output (None, 60, 16), got (None, 62, 16)", slow=True),
    Wrong("Flatten instead of global pooling",
          (("layers.GlobalMaxPooling1D()", "layers.Flatten()"),),
          # Flatten ties each weight to one position, so waves of random phase are learned poorly.
          fails=tuple(f"{case}.{check}" for case in MODEL_CASES
                      for check in ("layer_types", "output_shapes", "param_counts"))
          + ("default.metric", "wide.metric"),
          says="layer 2: expected GlobalMaxPooling1D -> (None, 16), got Flatten -> (None, 992)", slow=True),
    Wrong("parameter count without biases",
          (('"params": kernel_size * channels * filters + filters', '"params": kernel_size * channels * filters'),),
          fails=tuple(f"{case}.value" for case in SIZE_CASES),
          says="expected {'output_length': 62, 'params': 64}, got {'output_length': 62, 'params': 48}"),
    Wrong("output length from the strided formula, a float",
          (('"output_length": timesteps - kernel_size + 1', '"output_length": (timesteps - kernel_size) / 1 + 1'),),
          # (T - k) / stride + 1 divides: a length is an int.
          fails=tuple(f"{case}.value" for case in SIZE_CASES),
          says="at ['output_length']: expected an int (62), got the float 62.0: return an integer, e.g. int(...)"),
    Wrong("windows that skip every other step",
          (("layers.Conv1D(filters, kernel_size, activation=\"relu\")",
            "layers.Conv1D(filters, kernel_size, strides=2, activation=\"relu\")"),),
          # GlobalMaxPooling1D hides the shorter sequence from every later layer and from the counts.
          fails=tuple(f"{case}.{check}" for case in MODEL_CASES for check in ("layer_config", "output_shapes"))
          + ("default.metric",),
          says="layer 1 Conv1D(16, 3): strides expected (1,), got (2,)"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

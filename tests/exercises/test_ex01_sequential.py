from contract import Wrong, contract_tests

EXERCISE = "ex01"

WRONG = [
    Wrong("output without sigmoid",
          (('layers.Dense(1, activation="sigmoid")', "layers.Dense(1)"),),
          # A linear output still ranks tumours well, so only the configuration check catches it.
          fails=("default.layer_config", "deeper.layer_config", "single.layer_config"),
          says="layer 3 Dense(1): activation expected 'sigmoid', got 'linear'"),
    Wrong("hard-coded to the example's layers",
          (("for units, activation in zip(hidden_units, activations):",
            "for units, activation in zip((64, 32), ('relu', 'tanh')):"),),
          fails=("deeper.layer_types", "deeper.output_shapes", "deeper.param_counts", "deeper.layer_config",
                 "single.layer_types", "single.output_shapes", "single.param_counts", "single.layer_config"),
          says="expected 4 layers, got 3"),
    Wrong("one activation for every layer",
          (("activation=activation", 'activation="relu"'),),
          fails=("default.layer_config", "deeper.layer_config", "single.layer_config"),
          says="layer 2 Dense(32): activation expected 'tanh', got 'relu'"),
    Wrong("two-unit softmax output",
          (('layers.Dense(1, activation="sigmoid")', 'layers.Dense(2, activation="softmax")'),),
          fails=("default.output_shapes", "default.param_counts", "default.layer_config", "default.metric",
                 "deeper.output_shapes", "deeper.param_counts", "deeper.layer_config",
                 "single.output_shapes", "single.param_counts", "single.layer_config"),
          says="layer 3 Dense(1): expected output (None, 1), got (None, 2)"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

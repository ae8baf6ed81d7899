from contract import Wrong, contract_tests

EXERCISE = "ex08"

BN_CASES = ("with_bn", "wine", "single")
BASELINE_CASES = ("baseline", "wine_baseline")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("Dense keeps its bias",
          (("layers.Dense(units, use_bias=False)", "layers.Dense(units)"),),
          fails=each(BN_CASES, "param_counts", "layer_config"),
          says="layer 1 Dense(64): expected 4,096 trainable parameters, got 4,160", slow=True),
    Wrong("normalization after the activation",
          (("""            model.add(layers.Dense(units, use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
""", """            model.add(layers.Dense(units, activation="relu", use_bias=False))
            model.add(layers.BatchNormalization())
"""),),
          # The same weights in fewer layers: the totals match, the layer sequence does not.
          fails=each(BN_CASES, "layer_types", "output_shapes", "layer_config"),
          says="expected 10 layers, got 7", slow=True),
    Wrong("batch_norm flag ignored",
          (("        if batch_norm:\n", "        if True:\n"),),
          fails=each(BASELINE_CASES, "layer_types", "output_shapes", "param_counts", "layer_config",
                     "normalized_per_feature", "batch_independent_training"),
          says="expected 4 layers, got 10"),
    Wrong("LayerNormalization instead of BatchNormalization",
          (("layers.BatchNormalization()", "layers.LayerNormalization()"),),
          # Also slower: with these bias-free Dense layers it stays below the reference after 3 epochs.
          fails=each(BN_CASES, "normalized_per_feature", "batch_independent_training", "layer_types",
                     "param_counts") + ("with_bn.metric",),
          says="no layer outputs mean 0 and std 1 over the batch, feature by feature (training=True); "
               "expected: 3 layers output", slow=True),
    Wrong("batch normalization with a faster-moving average",
          (("model.add(layers.BatchNormalization())", "model.add(layers.BatchNormalization(momentum=0.9, epsilon=0.01))"),),
          fails=each(BN_CASES, "layer_config"),
          says="layer 2 BatchNormalization: epsilon expected 0.001, got 0.01; layer 2 BatchNormalization: "
               "momentum expected 0.99, got 0.9"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

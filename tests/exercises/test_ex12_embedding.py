from contract import Wrong, contract_tests

EXERCISE = "ex12"

ALL_CASES = ("default", "one_dim", "large_vocab", "binary")
SUMMARY_CHECKS = ("layer_types", "output_shapes", "param_counts", "layer_config")


def failing(*checks: str, cases: tuple[str, ...] = ALL_CASES) -> tuple[str, ...]:
    return tuple(f"{case}.{check}" for check in checks for case in cases)


WRONG = [
    Wrong("Keras 2 style input_length instead of an Input",
          (("keras.Input(shape=(sequence_length,)),\n        layers.Embedding(input_dim=vocab_size, "
            "output_dim=output_dim),",
            "layers.Embedding(input_dim=vocab_size, output_dim=output_dim, input_length=sequence_length),"),),
          # The model is never built, so nothing about its layers can be read; the grader's own training
          # builds its fresh copy from the data and still measures the accuracy.
          fails=failing(*SUMMARY_CHECKS),
          says="the model was never built"),
    Wrong("one embedding row per position instead of per word",
          (("input_dim=vocab_size", "input_dim=sequence_length"),),
          # Word ids beyond the table's rows cannot be looked up, so training the default cases fails.
          fails=(failing("param_counts", "layer_config") + failing("metric", cases=("default", "one_dim"))),
          says="layer 1 Embedding(40 -> 16): expected 640 trainable parameters, got 192", slow=True),
    Wrong("the post's output_dim=128 whatever the argument",
          (("output_dim=output_dim", "output_dim=128"),),
          fails=failing("output_shapes", "param_counts", "layer_config"),
          says="layer 1 Embedding(40 -> 16): expected output (None, 12, 16), got (None, 12, 128)", slow=True),
    Wrong("id 0 masked out of the average",
          (("output_dim=output_dim)", "output_dim=output_dim, mask_zero=True)"),),
          # The shapes and the table's size agree; the average then skips every position holding id 0.
          fails=failing("layer_config"),
          says="layer 1 Embedding(40 -> 16): mask_zero expected False, got True"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

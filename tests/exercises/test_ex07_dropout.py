from contract import Wrong, contract_tests

EXERCISE = "ex07"

ALL_CASES = ("moderate", "strong", "single", "deep")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


DROPOUT_LOOP = """    for units in hidden_units:
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(rate))
"""

WRONG = [
    Wrong("no dropout at all",
          (('        model.add(layers.Dropout(rate))\n', ""),),
          fails=each(ALL_CASES, "training_varies", "layer_types", "output_shapes", "layer_config"),
          says="two calls with training=True gave the same outputs; expected: two calls with training=True "
               "gave different outputs"),
    Wrong("dropout after the first hidden layer only",
          ((DROPOUT_LOOP, """    model.add(layers.Dense(hidden_units[0], activation="relu"))
    model.add(layers.Dropout(rate))
    for units in hidden_units[1:]:
        model.add(layers.Dense(units, activation="relu"))
"""),),
          # Dropout has no weights, so the totals still match; the single-layer case is right by luck.
          fails=each(("moderate", "strong", "deep"), "layer_types", "output_shapes", "layer_config"),
          says="expected 5 layers, got 4; layer 4: expected Dropout(0.3) -> (None, 64), got nothing (missing)", slow=True),
    Wrong("rate hard-coded to the post's 0.5",
          (("layers.Dropout(rate)", "layers.Dropout(0.5)"),),
          fails=each(("moderate", "strong", "deep"), "layer_config"),
          says="layer 2 Dropout(0.5): rate expected 0.3, got 0.5", slow=True),
    Wrong("GaussianDropout instead of Dropout",
          (("layers.Dropout(rate)", "layers.GaussianDropout(rate)"),),
          # It behaves like dropout (random in training, identity at inference) but is another layer.
          fails=each(ALL_CASES, "layer_types"),
          says="layer 2: expected Dropout(0.3) -> (None, 64), got GaussianDropout(0.3) -> (None, 64)", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

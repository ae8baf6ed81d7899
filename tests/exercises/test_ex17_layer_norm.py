from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex17"

LAYER_CASES = ("layer", "wine_layer", "deep_layer")
BATCH_CASES = ("batch", "wine_batch")
HIDDEN = """        model.add(layers.Dense(units))
        model.add(normalizers[normalization]())
        model.add(layers.Activation("relu"))
"""
SWAPPED = ("layer_types", "param_counts", "normalized_per_sample", "normalized_per_feature",
           "batch_independent_training")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("always LayerNormalization",
          (("normalizers[normalization]()", "layers.LayerNormalization()"),),
          fails=each(BATCH_CASES, *SWAPPED),
          says="layer 2: expected BatchNormalization -> (None, 64), got LayerNormalization -> (None, 64)"),
    Wrong("always BatchNormalization",
          (("normalizers[normalization]()", "layers.BatchNormalization()"),),
          fails=each(LAYER_CASES, "batch_independent_training", "layer_types", "param_counts",
                     "normalized_per_sample", "normalized_per_feature"),
          says="with training=True, a sample's output alone differs from its output inside a batch of 32", slow=True),
    Wrong("normalization after the activation",
          (("""        model.add(normalizers[normalization]())
        model.add(layers.Activation("relu"))
""", """        model.add(layers.Activation("relu"))
        model.add(normalizers[normalization]())
"""),),
          # Same shapes and the same normalizing layers, in the wrong place; the parameter counts say
          # where most plainly. A layer of another class is left to layer_types, not compared key by key.
          fails=each(LAYER_CASES + BATCH_CASES, "param_counts", "layer_types"),
          says="layer 2 LayerNormalization: expected 128 trainable parameters, got 0", slow=True),
    Wrong("ReLU applied before the normalization too",
          (("layers.Dense(units)", 'layers.Dense(units, activation="relu")'),),
          fails=each(LAYER_CASES + BATCH_CASES, "layer_config"),
          says="layer 1 Dense(64): activation expected 'linear', got 'relu'", slow=True),
    Wrong("LeakyReLU in nested blocks",
          ((HIDDEN, ("        model.add(keras.Sequential([layers.Dense(units), normalizers[normalization](), "
                     "layers.LeakyReLU()]))\n")),),
          # Not an Activation layer, so the layer types are judged by what the model computes: with the
          # reference's weights, the LeakyReLU is where its outputs part from the reference's.
          fails=each(LAYER_CASES + BATCH_CASES, "layer_types"),
          says="layer 3 LeakyReLU is where they part (up to layer 2 LayerNormalization, the outputs equal those "
               "of the reference's layer 2 LayerNormalization)"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

SAME = [
    # Blocks nested in Sequential or Functional models are flattened as the summary flattens them, for the
    # structural checks and the normalization probes alike; ReLU() is judged by what it computes.
    Same("each hidden block a Sequential of its own, with ReLU()",
         ((HIDDEN, ("        model.add(keras.Sequential([layers.Dense(units=units), normalizers[normalization](), "
                    "layers.ReLU()]))\n")),)),
    Same("the hidden layers one Functional model inside the Sequential",
         (("    model = keras.Sequential([keras.Input(shape=(input_dim,))])\n    for units in hidden_units:\n" + HIDDEN,
           ("    inputs = keras.Input(shape=(input_dim,))\n    x = inputs\n    for units in hidden_units:\n"
            '        x = layers.Activation("relu")(normalizers[normalization]()(layers.Dense(units)(x)))\n'
            "    model = keras.Sequential([keras.Input(shape=(input_dim,)), keras.Model(inputs, x)])\n")),)),
]

test_equivalent_structure_earns_full_marks = equivalent_tests(EXERCISE, SAME)

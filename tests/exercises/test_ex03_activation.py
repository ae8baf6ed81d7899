from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex03"
BUILD_CASES = ("relu", "tanh", "sigmoid_digits", "elu_deep")
HIDDEN = "model.add(layers.Dense(units))\n        model.add(layers.Activation(activation))"

WRONG = [
    Wrong("activation inside Dense instead of its own layer",
          (("model.add(layers.Dense(units))\n        model.add(layers.Activation(activation))",
            "model.add(layers.Dense(units, activation=activation))"),),
          # The same function is computed, so training and the parameter total are unchanged.
          fails=tuple(f"{case}.{check}" for case in BUILD_CASES
                      for check in ("layer_types", "output_shapes", "layer_config")),
          says="expected 6 layers, got 4", slow=True),
    Wrong("relu whatever activation is asked for",
          (("layers.Activation(activation)", 'layers.Activation("relu")'),),
          # relu learns the rings as well as tanh does, so only the configuration gives it away.
          fails=("tanh.layer_config", "sigmoid_digits.layer_config", "elu_deep.layer_config"),
          says="layer 2 Activation: activation expected 'tanh', got 'relu'", slow=True),
    Wrong("linear hidden activations",
          (("layers.Activation(activation)", 'layers.Activation("linear")'),),
          # Without a non-linearity the network draws a straight line through two rings: near chance.
          fails=("relu.layer_config", "relu.metric", "tanh.layer_config", "tanh.metric",
                 "sigmoid_digits.layer_config", "elu_deep.layer_config"),
          says="layer 2 Activation: activation expected 'relu', got 'linear'", slow=True),
    Wrong("apply_activation always applies relu",
          (("function = keras.activations.get(name)", "function = keras.activations.relu"),),
          fails=("sigmoid_values.value", "tanh_values.value", "sigmoid_extremes.value", "elu_values.value"),
          says="expected [0.0474259, 0.377541, 0.5, 0.622459, 0.952574], got [0.0, 0.0, 0.0, 0.5, 3.0]"),
    Wrong("activation inside Dense, in nested blocks",
          ((HIDDEN, "model.add(keras.Sequential([layers.Dense(units, activation=activation)]))"),),
          # Nested blocks are flattened, and the task asks for Activation layers: the same function without
          # them still loses the structural checks (none of them is judged by behaviour here).
          fails=tuple(f"{case}.{check}" for case in BUILD_CASES
                      for check in ("layer_types", "output_shapes", "layer_config")),
          says="expected 6 layers, got 4", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

# The Keras 3 notes point to keras.ops.convert_to_numpy: an array (or the tensor itself) holds the same numbers.
SAME = [
    # Blocks nested in Sequentials are flattened as the summary flattens them; keywords and functions for names.
    Same("each hidden Dense and Activation pair a Sequential of its own",
         ((HIDDEN, "model.add(keras.Sequential([layers.Dense(units), layers.Activation(activation)]))"),)),
    Same("units and activations given by keyword, softmax as a function",
         (("layers.Dense(units)", "layers.Dense(units=units)"),
          ("layers.Activation(activation)", "layers.Activation(activation=activation)"),
          ('layers.Activation("softmax")', "layers.Activation(keras.activations.softmax)"))),
    Same("the values as a NumPy array",
         (("return keras.ops.convert_to_numpy(outputs).tolist()", "return keras.ops.convert_to_numpy(outputs)"),)),
    Same("the values as the tensor the activation returned",
         (("return keras.ops.convert_to_numpy(outputs).tolist()", "return outputs"),)),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

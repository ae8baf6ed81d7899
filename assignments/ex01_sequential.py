"""Exercise 01 - Sequential: Stack layers into a binary classifier

A `keras.Sequential` model is a plain stack: each layer feeds the next. Write
`build_model(input_dim, hidden_units, activations)` that returns a Sequential model with:

1. an input of `input_dim` features (`keras.Input(shape=(input_dim,))`);
2. one hidden `Dense` layer per entry of `hidden_units`, with the matching entry of
   `activations` (so `hidden_units=(64, 32)` and `activations=("relu", "tanh")` give
   Dense(64, relu) then Dense(32, tanh));
3. a `Dense(1, activation="sigmoid")` output: one probability for a yes/no question.

Do not compile or train the model: the grader trains a fresh copy itself on a tumour
classification task (scikit-learn's breast cancer data) and compares it with the reference.
Your function is also called with other depths, widths and activations than the example.

Equivalent spellings earn the same marks: an activation given as its own layer
(`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
what the model computes, with the reference's weights put into yours.

Keras 3 note:
Start the model with `keras.Input(shape=...)` rather than `input_shape=` on the first layer:
Keras 3 still accepts `input_shape=` but warns about it. `tensorflow.keras` and `keras` are the
same Keras 3 package.

Check your work: tfgrade check 1   (10 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_model(input_dim, hidden_units=(64, 32), activations=("relu", "tanh")):
    """Return an uncompiled Sequential binary classifier.

    input_dim: number of input features.
    hidden_units: units of each hidden Dense layer, first to last.
    activations: activation of each hidden layer, same length as hidden_units.
    """
    # YOUR CODE HERE
    raise NotImplementedError()

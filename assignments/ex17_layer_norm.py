"""Exercise 17 - LayerNormalization: LayerNormalization against BatchNormalization

`LayerNormalization` normalizes each sample on its own, over that sample's features, then
applies a learned scale and shift. `BatchNormalization` normalizes each feature over the
samples of a batch. So a LayerNormalization gives a sample the same output whether it comes
alone or inside a batch, in training as at inference, and it keeps no moving averages (no
non-trainable weights), while a BatchNormalization in training mode depends on the batch.

Write `build_model(input_dim, num_classes, hidden_units, normalization)` that returns a
Sequential model starting with `keras.Input(shape=(input_dim,))` and ending with
`Dense(num_classes, activation="softmax")`. In between, for each entry `u` of `hidden_units`:
`Dense(u)`, then the normalization layer, then `Activation("relu")`. The normalization layer is
`LayerNormalization()` when `normalization="layer"` and `BatchNormalization()` when
`normalization="batch"` (default arguments in both).

Do not compile or train it. The grader feeds a fixed batch to a fresh copy and checks which
layers normalize each sample and which normalize each feature, whether a sample's output
depends on its batch in training mode, the parameter counts, and trains the LayerNormalization
variant with batches of 8 for 3 epochs on handwritten digits.

Equivalent spellings earn the same marks: an activation given as its own layer
(`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
what the model computes, with the reference's weights put into yours.

Keras 3 note:
`LayerNormalization()` is unchanged from the post; it normalizes over the last axis by default
(`axis=-1`). Neither layer needs `input_shape=`: start the model with `keras.Input(shape=...)`.

Check your work: tfgrade check 17   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_model(input_dim, num_classes, hidden_units=(64, 32), normalization="layer"):
    """Return an uncompiled Sequential classifier that normalizes every hidden layer.

    input_dim: number of input features; num_classes: number of softmax outputs.
    hidden_units: units of each hidden layer, first to last.
    normalization: "layer" for LayerNormalization, "batch" for BatchNormalization; each hidden layer is
        Dense(u) -> the normalization layer -> Activation("relu").
    """
    # YOUR CODE HERE
    raise NotImplementedError()

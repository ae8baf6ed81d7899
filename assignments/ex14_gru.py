"""Exercise 14 - GRU: GRU against LSTM on the same task

A GRU is a lighter cousin of the LSTM: it has three weight blocks (update gate, reset gate,
candidate state) where the LSTM has four (input, forget and output gates, candidate), and no
separate cell state. Each block holds an input kernel (`input_dim x units`), a recurrent kernel
(`units x units`) and biases. Keras' GRU uses `reset_after=True` by default, which gives each
block two bias vectors instead of one: GRU `3 * (units * (units + input_dim) + 2 * units)`,
LSTM `4 * (units * (units + input_dim) + units)` parameters.

Write two functions:

1. `build_recurrent_classifier(cell, vocab_size, sequence_length, embedding_dim, units,
   num_classes)`: a Sequential model of `keras.Input(shape=(sequence_length,))`,
   `Embedding(vocab_size, embedding_dim)`, `GRU(units)` when `cell == "gru"` or `LSTM(units)`
   when `cell == "lstm"` (default arguments otherwise), then
   `Dense(num_classes, activation="softmax")`. Do not compile it.
2. `recurrent_param_count(cell, input_dim, units)`: the parameter count of that GRU or LSTM
   layer, computed with the formula (do not build a layer).

The grader trains a fresh GRU model and a fresh LSTM model on generated sequences of 10 word
ids (does word A come before word B?) and compares each with the reference of the same kind.
Compare them yourself as well: train both on such data and time `model.fit` with
`time.perf_counter()`. Training time depends on the machine and its load, so it is something
to observe, not something graded.

Keras 3 note:
`GRU(64)` is unchanged. Its default `reset_after=True` (the default since TensorFlow 2.0) adds a
second bias per block, so the textbook formula without it undercounts by `3 * units`. There is no
`CuDNNGRU` layer: on a GPU the plain `GRU` uses cuDNN by itself when it keeps its defaults.

Check your work: tfgrade check 14   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_recurrent_classifier(cell, vocab_size, sequence_length, embedding_dim, units, num_classes):
    """Return an uncompiled Sequential classifier of word-id sequences: Embedding, one recurrent layer
    of `units` (a GRU when `cell` is "gru", an LSTM when it is "lstm"), then a softmax Dense.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def recurrent_param_count(cell, input_dim, units):
    """Return the number of parameters of a Keras GRU (default reset_after=True) or LSTM layer with
    `units` units that reads `input_dim` features per step, computed with the formula.
    """
    # YOUR CODE HERE
    raise NotImplementedError()

"""Exercise 13 - LSTM: LSTM outputs: the last state or the whole sequence

An `LSTM(units)` layer reads a sequence step by step and carries a memory (its cell state)
from one step to the next. By default it outputs only its state after the last step,
`(None, units)`. With `return_sequences=True` it outputs its state after every step,
`(None, steps, units)`: that is what a second recurrent layer stacked on top needs as input.

Write two functions that return Sequential models (do not compile them):

1. `build_sequence_encoder(sequence_length, num_features, units, return_sequences)`:
   `keras.Input(shape=(sequence_length, num_features))`, then one
   `LSTM(units, return_sequences=return_sequences)`.
2. `build_stacked_lstm(vocab_size, sequence_length, embedding_dim, units, num_classes)`:
   `keras.Input(shape=(sequence_length,))`, `Embedding(vocab_size, embedding_dim)`, then one
   `LSTM(u)` per entry `u` of `units`, in order, where every LSTM except the last has
   `return_sequences=True`, then `Dense(num_classes, activation="softmax")`.

The grader trains a fresh copy of your stacked model with `units=(16, 16)` on generated
sequences of 10 word ids where the label says whether word A comes before word B: both words
always occur, so only a layer that remembers what it has read can tell. Try giving the last
LSTM `return_sequences=True` as well and look at the output shape the Dense layer then gets.

Keras 3 note:
`LSTM(64)` and `return_sequences=True` are unchanged. Start models with `keras.Input(...)`
rather than `input_shape=` on the first layer. On a GPU Keras 3 picks the fast cuDNN kernel by
itself when the layer keeps its default activations; there is no separate `CuDNNLSTM` layer.

Check your work: tfgrade check 13   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_sequence_encoder(sequence_length, num_features, units, return_sequences):
    """Return a Sequential model: an input of `sequence_length` steps of `num_features` numbers, then
    one LSTM(units) that outputs every step's state when `return_sequences` is True, else only the last.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def build_stacked_lstm(vocab_size, sequence_length, embedding_dim, units, num_classes):
    """Return an uncompiled Sequential classifier of word-id sequences: Embedding, one LSTM per entry of
    `units` (every LSTM but the last returns sequences), then a softmax Dense of `num_classes`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()

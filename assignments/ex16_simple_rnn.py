"""Exercise 16 - SimpleRNN: SimpleRNN against LSTM and GRU

A `SimpleRNN(units)` layer is the plainest recurrent layer: at every step its new state is
`tanh(input @ W + state @ U + b)`, a single weight block with no gates. That makes it small, but
what it saw many steps ago fades quickly, and its gradients fade with it. LSTM and GRU add gates
that decide what to keep, at the price of four (LSTM) or three (GRU) weight blocks.

Write two functions:

1. `build_rnn_classifier(cell, vocab_size, sequence_length, embedding_dim, units, num_classes)`:
   a Sequential model of `keras.Input(shape=(sequence_length,))`,
   `Embedding(vocab_size, embedding_dim)`, one recurrent layer of `units` with default
   arguments (`SimpleRNN` when `cell == "simple_rnn"`, `LSTM` for `"lstm"`, `GRU` for
   `"gru"`), then `Dense(num_classes, activation="softmax")`. Do not compile it.
2. `rnn_param_counts(input_dim, units)`: a dict `{"simple_rnn": ..., "lstm": ..., "gru": ...}`
   with the parameter count of each of those layers reading `input_dim` features per step
   (one block is `units * (units + input_dim) + units`; Keras' GRU has one extra bias vector
   of `units` per block).

The grader trains a fresh copy of each kind on generated sequences of 20 word ids, where the
label says whether word A comes before word B, with the two words often far apart. Each kind
is compared with the reference model of the same kind, so a SimpleRNN only has to do as well
as the reference SimpleRNN. Sequences this short keep grading fast, and all three kinds learn
them; compare the three yourself on longer sequences or on a task with more to remember
(e.g. a negation such as "the plot was not very good", where the label depends on a word
several steps back), and watch the epochs each needs and where the SimpleRNN falls behind.

Keras 3 note:
`SimpleRNN(32)` is unchanged. Start the model with `keras.Input(shape=(sequence_length,))`
rather than `input_shape=` on the first layer, which Keras 3 accepts only with a warning.

Check your work: tfgrade check 16   (24 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_rnn_classifier(cell, vocab_size, sequence_length, embedding_dim, units, num_classes):
    """Return an uncompiled Sequential classifier of word-id sequences: Embedding, one recurrent layer
    of `units` ("simple_rnn": SimpleRNN, "lstm": LSTM, "gru": GRU), then a softmax Dense.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def rnn_param_counts(input_dim, units):
    """Return a dict with the parameter counts of a SimpleRNN, an LSTM and a GRU (Keras defaults) of
    `units` units reading `input_dim` features per step: {"simple_rnn": ..., "lstm": ..., "gru": ...}.
    """
    # YOUR CODE HERE
    raise NotImplementedError()

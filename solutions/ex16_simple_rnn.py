import keras
from keras import layers


def build_rnn_classifier(cell, vocab_size, sequence_length, embedding_dim, units, num_classes):
    """Return an uncompiled Sequential classifier of word-id sequences: Embedding, one recurrent layer
    of `units` ("simple_rnn": SimpleRNN, "lstm": LSTM, "gru": GRU), then a softmax Dense.
    """
    ### BEGIN SOLUTION
    recurrent = {"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}[cell]
    return keras.Sequential([
        keras.Input(shape=(sequence_length,)),
        layers.Embedding(vocab_size, embedding_dim),
        recurrent(units),
        layers.Dense(num_classes, activation="softmax"),
    ])
    ### END SOLUTION


def rnn_param_counts(input_dim, units):
    """Return a dict with the parameter counts of a SimpleRNN, an LSTM and a GRU (Keras defaults) of
    `units` units reading `input_dim` features per step: {"simple_rnn": ..., "lstm": ..., "gru": ...}.
    """
    ### BEGIN SOLUTION
    block = units * (units + input_dim) + units  # input kernel, recurrent kernel and bias of one block
    return {"simple_rnn": block, "lstm": 4 * block, "gru": 3 * (block + units)}
    ### END SOLUTION

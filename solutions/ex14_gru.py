import keras
from keras import layers


def build_recurrent_classifier(cell, vocab_size, sequence_length, embedding_dim, units, num_classes):
    """Return an uncompiled Sequential classifier of word-id sequences: Embedding, one recurrent layer
    of `units` (a GRU when `cell` is "gru", an LSTM when it is "lstm"), then a softmax Dense.
    """
    ### BEGIN SOLUTION
    recurrent = {"gru": layers.GRU, "lstm": layers.LSTM}[cell]
    return keras.Sequential([
        keras.Input(shape=(sequence_length,)),
        layers.Embedding(vocab_size, embedding_dim),
        recurrent(units),
        layers.Dense(num_classes, activation="softmax"),
    ])
    ### END SOLUTION


def recurrent_param_count(cell, input_dim, units):
    """Return the number of parameters of a Keras GRU (default reset_after=True) or LSTM layer with
    `units` units that reads `input_dim` features per step, computed with the formula.
    """
    ### BEGIN SOLUTION
    one_gate = units * (units + input_dim)  # input and recurrent kernels of one gate
    if cell == "gru":
        return 3 * (one_gate + 2 * units)  # reset_after=True: separate input and recurrent biases
    return 4 * (one_gate + units)
    ### END SOLUTION

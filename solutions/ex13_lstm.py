import keras
from keras import layers


def build_sequence_encoder(sequence_length, num_features, units, return_sequences):
    """Return a Sequential model: an input of `sequence_length` steps of `num_features` numbers, then
    one LSTM(units) that outputs every step's state when `return_sequences` is True, else only the last.
    """
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=(sequence_length, num_features)),
        layers.LSTM(units, return_sequences=return_sequences),
    ])
    ### END SOLUTION


def build_stacked_lstm(vocab_size, sequence_length, embedding_dim, units, num_classes):
    """Return an uncompiled Sequential classifier of word-id sequences: Embedding, one LSTM per entry of
    `units` (every LSTM but the last returns sequences), then a softmax Dense of `num_classes`.
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([
        keras.Input(shape=(sequence_length,)),
        layers.Embedding(vocab_size, embedding_dim),
    ])
    for position, count in enumerate(units):
        model.add(layers.LSTM(count, return_sequences=position < len(units) - 1))
    model.add(layers.Dense(num_classes, activation="softmax"))
    return model
    ### END SOLUTION

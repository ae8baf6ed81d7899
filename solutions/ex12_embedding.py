import keras
from keras import layers


def build_text_classifier(vocab_size, sequence_length, output_dim, num_classes):
    """Return an uncompiled Sequential text classifier: Embedding, average over words, softmax.

    vocab_size: how many word ids exist (ids run from 0 to vocab_size - 1).
    sequence_length: how many word ids each sentence holds.
    output_dim: the size of each word's embedding vector.
    num_classes: how many labels the softmax output scores.
    """
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=(sequence_length,)),
        layers.Embedding(input_dim=vocab_size, output_dim=output_dim),
        layers.GlobalAveragePooling1D(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    ### END SOLUTION

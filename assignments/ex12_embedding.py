"""Exercise 12 - Embedding: Word embeddings for text classification

A tokenizer turns each word into an integer id. An `Embedding(input_dim, output_dim)` layer is a
trainable lookup table with one row of `output_dim` numbers per id: it holds exactly
`input_dim * output_dim` parameters, and training moves words that act alike close together.

Write `build_text_classifier(vocab_size, sequence_length, output_dim, num_classes)` that
returns a Sequential model:

1. `keras.Input(shape=(sequence_length,))`: one sentence of word ids;
2. `Embedding(input_dim=vocab_size, output_dim=output_dim)`: a vector per word,
   giving `(None, sequence_length, output_dim)`;
3. `GlobalAveragePooling1D()`: the average of the sentence's word vectors, `(None, output_dim)`;
4. `Dense(num_classes, activation="softmax")`.

The grader trains a fresh copy on generated sentences of 12 word ids (vocabulary of 40) about
4 topics, once with `output_dim=16` and once with `output_dim=1`, and compares each with the
reference trained the same way: see how much a one-number embedding loses. Other vocabulary
sizes, lengths and dimensions are checked too.

Keras 3 note:
`Embedding(..., input_length=N)` no longer exists: Keras 3 drops the argument with a warning,
so a Sequential that starts with it is never built (its summary shows `?` and `count_params()`
fails). Start the model with `keras.Input(shape=(sequence_length,))` instead. The layer itself,
`Embedding(input_dim, output_dim)`, is unchanged.

Check your work: tfgrade check 12   (20 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers


def build_text_classifier(vocab_size, sequence_length, output_dim, num_classes):
    """Return an uncompiled Sequential text classifier: Embedding, average over words, softmax.

    vocab_size: how many word ids exist (ids run from 0 to vocab_size - 1).
    sequence_length: how many word ids each sentence holds.
    output_dim: the size of each word's embedding vector.
    num_classes: how many labels the softmax output scores.
    """
    # YOUR CODE HERE
    raise NotImplementedError()

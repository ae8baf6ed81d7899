import keras
from keras import layers


def build_classifier(input_dim, num_classes, label_format):
    """Return a compiled multi-class classifier: input -> Dense(32, relu) -> Dense(num_classes, softmax),
    compiled with optimizer="adam", metrics=["accuracy"] and the cross-entropy loss that matches
    `label_format`: "one_hot" rows or "integer" class ids."""
    ### BEGIN SOLUTION
    model = keras.Sequential([
        keras.Input(shape=(input_dim,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])
    loss = "categorical_crossentropy" if label_format == "one_hot" else "sparse_categorical_crossentropy"
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model
    ### END SOLUTION


def to_one_hot(labels, num_classes):
    """Return the integer `labels` as one-hot rows of length `num_classes` (a list of lists or an array)."""
    ### BEGIN SOLUTION
    return keras.utils.to_categorical(labels, num_classes=num_classes)
    ### END SOLUTION

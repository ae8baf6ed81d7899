import keras
from keras import layers


def build_model(input_dim, num_classes, hidden_units=(64, 64, 64), batch_norm=True):
    """Return an uncompiled Sequential classifier, with or without batch normalization.

    input_dim: number of input features; num_classes: number of softmax outputs.
    hidden_units: units of each hidden layer, first to last.
    batch_norm: True gives Dense(u, use_bias=False) -> BatchNormalization() -> Activation("relu") per
        hidden layer; False gives the baseline Dense(u, activation="relu").
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for units in hidden_units:
        if batch_norm:
            model.add(layers.Dense(units, use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
        else:
            model.add(layers.Dense(units, activation="relu"))
    model.add(layers.Dense(num_classes, activation="softmax"))
    return model
    ### END SOLUTION

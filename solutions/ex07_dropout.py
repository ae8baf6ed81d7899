import keras
from keras import layers


def build_model(input_dim, hidden_units=(64, 64), rate=0.3):
    """Return an uncompiled Sequential binary classifier with Dropout after every hidden layer.

    input_dim: number of input features.
    hidden_units: units of each hidden Dense(relu) layer, first to last.
    rate: the fraction of a hidden layer's outputs that Dropout sets to zero while training.
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for units in hidden_units:
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(rate))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model
    ### END SOLUTION

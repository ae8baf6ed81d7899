import keras
from keras import layers


def build_model(input_dim, hidden_units=(64, 32), activations=("relu", "tanh")):
    """Return an uncompiled Sequential binary classifier.

    input_dim: number of input features.
    hidden_units: units of each hidden Dense layer, first to last.
    activations: activation of each hidden layer, same length as hidden_units.
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for units, activation in zip(hidden_units, activations):
        model.add(layers.Dense(units, activation=activation))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model
    ### END SOLUTION

import keras
from keras import layers


def build_model(input_dim, num_classes, hidden_units=(64, 32), normalization="layer"):
    """Return an uncompiled Sequential classifier that normalizes every hidden layer.

    input_dim: number of input features; num_classes: number of softmax outputs.
    hidden_units: units of each hidden layer, first to last.
    normalization: "layer" for LayerNormalization, "batch" for BatchNormalization; each hidden layer is
        Dense(u) -> the normalization layer -> Activation("relu").
    """
    ### BEGIN SOLUTION
    normalizers = {"layer": layers.LayerNormalization, "batch": layers.BatchNormalization}
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for units in hidden_units:
        model.add(layers.Dense(units))
        model.add(normalizers[normalization]())
        model.add(layers.Activation("relu"))
    model.add(layers.Dense(num_classes, activation="softmax"))
    return model
    ### END SOLUTION

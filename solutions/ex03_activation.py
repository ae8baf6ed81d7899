import keras
from keras import layers


def build_model(input_dim, hidden_units, activation, num_classes):
    """Return an uncompiled Sequential classifier whose activations are separate layers.

    Each entry of hidden_units gives a Dense layer without activation followed by
    Activation(activation); the output is Dense(num_classes) followed by Activation("softmax").
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for units in hidden_units:
        model.add(layers.Dense(units))
        model.add(layers.Activation(activation))
    model.add(layers.Dense(num_classes))
    model.add(layers.Activation("softmax"))
    return model
    ### END SOLUTION


def apply_activation(name, values):
    """Return the activation called `name` (e.g. "relu") applied to each number of `values`, as a list."""
    ### BEGIN SOLUTION
    function = keras.activations.get(name)
    outputs = function(keras.ops.convert_to_tensor(values, dtype="float32"))
    return keras.ops.convert_to_numpy(outputs).tolist()
    ### END SOLUTION

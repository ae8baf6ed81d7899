import keras
from keras import layers


def build_conv1d(timesteps, channels, num_classes, kernel_size=3, filters=16):
    """Return an uncompiled time-series classifier:
    Input((timesteps, channels)) -> Conv1D(filters, kernel_size, relu) -> GlobalMaxPooling1D
    -> Dense(num_classes, softmax).
    """
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=(timesteps, channels)),
        layers.Conv1D(filters, kernel_size, activation="relu"),
        layers.GlobalMaxPooling1D(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    ### END SOLUTION


def conv1d_sizes(timesteps, channels, kernel_size, filters):
    """Return {"output_length": ..., "params": ...} for Conv1D(filters, kernel_size) with the default
    "valid" padding on a (timesteps, channels) input, computed with the formulas (build no layer)."""
    ### BEGIN SOLUTION
    return {"output_length": timesteps - kernel_size + 1,
            "params": kernel_size * channels * filters + filters}
    ### END SOLUTION

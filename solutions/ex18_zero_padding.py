import keras
import numpy as np
from keras import layers


def same_size_padding(kernel_size):
    """Return the int padding that keeps a convolution's output size for an odd `kernel_size`."""
    ### BEGIN SOLUTION
    return (kernel_size - 1) // 2
    ### END SOLUTION


def zero_pad(values, padding):
    """Return the 2-D grid `values` padded by ZeroPadding2D(padding), as a list of rows."""
    ### BEGIN SOLUTION
    grid = np.asarray(values, dtype="float32")
    padded = layers.ZeroPadding2D(padding)(grid[np.newaxis, :, :, np.newaxis])
    return keras.ops.convert_to_numpy(padded)[0, :, :, 0].tolist()
    ### END SOLUTION


def build_same_size_cnn(input_shape, num_classes, kernel_sizes, filters):
    """Return an uncompiled CNN: for each k in `kernel_sizes`, ZeroPadding2D then a valid k x k ReLU
    Conv2D that keeps the feature maps' size; then Flatten and a softmax Dense."""
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=input_shape)])
    for k in kernel_sizes:
        model.add(layers.ZeroPadding2D(same_size_padding(k)))
        model.add(layers.Conv2D(filters, (k, k), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(num_classes, activation="softmax"))
    return model
    ### END SOLUTION

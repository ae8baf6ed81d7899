import keras
from keras import layers


def build_cnn(input_shape, num_classes, filters=(16, 32)):
    """Return an uncompiled CNN: one 3x3 ReLU Conv2D per entry of `filters`, Flatten, softmax Dense."""
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=input_shape)])
    for count in filters:
        model.add(layers.Conv2D(count, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(num_classes, activation="softmax"))
    return model
    ### END SOLUTION

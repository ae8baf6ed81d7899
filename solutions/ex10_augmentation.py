import keras
from keras import layers
from tensorflow.keras.preprocessing.image import ImageDataGenerator


def augment_with_generator(images, labels, zoom_range, shear_range, seed):
    """Return (x, y): every image zoomed and sheared once by an ImageDataGenerator, in one unshuffled,
    seeded batch; the labels stay beside their images."""
    ### BEGIN SOLUTION
    datagen = ImageDataGenerator(zoom_range=zoom_range, shear_range=shear_range)
    batches = datagen.flow(images, labels, batch_size=len(images), shuffle=False, seed=seed)
    x, y = next(batches)
    return x, y
    ### END SOLUTION


def build_augmenter(input_shape, zoom, rotation, shift, seed):
    """Return a Sequential augmentation model: RandomFlip("horizontal"), RandomRotation(rotation),
    RandomZoom(zoom), RandomTranslation(shift, shift), each seeded with `seed`."""
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.RandomFlip("horizontal", seed=seed),
        layers.RandomRotation(rotation, seed=seed),
        layers.RandomZoom(zoom, seed=seed),
        layers.RandomTranslation(shift, shift, seed=seed),
    ])
    ### END SOLUTION

"""Exercise 10 - Data augmentation (ImageDataGenerator, Random* layers): Zoom, shear and friends: augmenting images reproducibly

Augmentation shows the model a slightly different version of each training image every
time: zoomed, sheared, rotated, shifted or mirrored. The image changes, its label does not.
Seeding the random transformations makes an experiment repeatable. Write two functions.

1. `augment_with_generator(images, labels, zoom_range, shear_range, seed)` augments a batch
   of 8x8x1 digit images with the classic generator and returns the pair `(x, y)`:
   - `ImageDataGenerator(zoom_range=zoom_range, shear_range=shear_range)` and no other
     transformation;
   - one batch holding every image, labels kept beside their images and the seed passed on:
     `next(datagen.flow(images, labels, batch_size=len(images), shuffle=False, seed=seed))`.
2. `build_augmenter(input_shape, zoom, rotation, shift, seed)` returns a Sequential
   augmentation model, every random layer given `seed=seed`:
   `keras.Input(shape=input_shape)`, `RandomFlip("horizontal")`, `RandomRotation(rotation)`
   (a fraction of a full turn), `RandomZoom(zoom)`, `RandomTranslation(shift, shift)`.

The grader keeps the images your code never saw: it rebuilds the inputs it gave you and
checks that your batch has their shape, their labels in order and changed pixels; it applies
your model to its own test images and checks that training mode changes them, inference mode
leaves them alone, two fresh copies agree (the seed) and the pixels equal the reference's.

Keras 3 note:
`from tensorflow.keras.preprocessing.image import ImageDataGenerator` still works (a legacy
class, no longer developed), but `from keras.preprocessing.image import ...` raises
ImportError. `datagen.fit(x)` is only needed for featurewise statistics; `fit_generator` is
gone, pass `datagen.flow(...)` to `model.fit`. The current way is preprocessing layers such
as `RandomFlip`, `RandomRotation`, `RandomZoom` and `RandomTranslation`: they run inside the
model (on the GPU too), are active only in training mode, save with the `.keras` file and load
with `safe_mode=True`. `RandomRotation` takes a fraction of a turn, not degrees.

Check your work: tfgrade check 10   (13 points in public checks; your instructor's grading adds hidden cases)
"""

import keras
from keras import layers
from tensorflow.keras.preprocessing.image import ImageDataGenerator


def augment_with_generator(images, labels, zoom_range, shear_range, seed):
    """Return (x, y): every image zoomed and sheared once by an ImageDataGenerator, in one unshuffled,
    seeded batch; the labels stay beside their images."""
    # YOUR CODE HERE
    raise NotImplementedError()


def build_augmenter(input_shape, zoom, rotation, shift, seed):
    """Return a Sequential augmentation model: RandomFlip("horizontal"), RandomRotation(rotation),
    RandomZoom(zoom), RandomTranslation(shift, shift), each seeded with `seed`."""
    # YOUR CODE HERE
    raise NotImplementedError()

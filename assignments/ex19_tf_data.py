"""Exercise 19 - tf.data.Dataset: A shuffled, augmented, batched input pipeline

`tf.data.Dataset` describes how examples flow into training: where they come from, in which
order, how each is transformed and how they are grouped. `model.fit(dataset)` then pulls
batches from it, one epoch after another.

Write `make_pipeline(x, y, batch_size, noise_std, seed)` that returns a dataset built in this
order:

1. `tf.data.Dataset.from_tensor_slices((x, y))`: one `(features, label)` element per row;
2. `.shuffle(buffer_size=len(x), seed=seed)`: a buffer as large as the data shuffles it
   completely, the seed makes the order reproducible, and the default
   `reshuffle_each_iteration=True` gives every epoch a new order;
3. `.map(augment)`, where `augment(features, label)` returns
   `(features + tf.random.normal(tf.shape(features), stddev=noise_std), label)`: noise on the
   features only. A random op in `map()` draws the same sequence of noise in every epoch, so
   it is the new order that gives each example new noise: map after shuffling, not before;
4. `.batch(batch_size)` (keep the last, smaller batch) and `.prefetch(tf.data.AUTOTUNE)`.

Do not set the global seed (`tf.random.set_seed`, `keras.utils.set_random_seed`), neither in
`make_pipeline` nor at the top of your file: the grader has set it before calling you, and
TensorFlow derives the shuffle order from the global seed and `seed` together, so another
global seed gives another order than the one `seed` asks for.

The grader cannot run your dataset where it measures, so your dataset is read for two epochs
where your code runs, and the grader checks what came out against the tumour data it gave you
(scikit-learn's breast cancer features, 30 per example): the element spec and batch sizes,
every example once per epoch with its own label, the amount of noise, new noise and a new order
in epoch 2, and that epoch 1's order is the reference's for the same seed.

Keras 3 note:
`tf.data` belongs to TensorFlow and is unchanged: `from tensorflow.data import Dataset` still
works. Use `tf.data.AUTOTUNE` (the old `tf.data.experimental.AUTOTUNE` is an alias). Keras 3's
`model.fit` takes the dataset itself (`fit_generator` is gone); for images, Keras 3's
`RandomFlip`/`RandomRotation` layers replace `ImageDataGenerator` and can be mapped over a dataset.

Check your work: tfgrade check 19   (22 points in public checks; your instructor's grading adds hidden cases)
"""

import tensorflow as tf


def make_pipeline(x, y, batch_size, noise_std, seed):
    """Return a tf.data.Dataset of (features, labels) batches made from the arrays x and y:
    shuffled with `seed` (a new order each epoch), Gaussian noise of standard deviation `noise_std`
    added to the features (not the labels), batched by `batch_size` and prefetched."""
    # YOUR CODE HERE
    raise NotImplementedError()

from autograder.spec import Case, DataArray, Exercise, Function, Misconception, PipelineEpochs, PropertyMatches

DATA = "breast_cancer"
EPOCHS = PipelineEpochs(DATA, "train")


# The grader recognises each yielded row by the reference's order for the same epoch, unless a row refutes it,
# or else by its nearest input example: breast cancer rows lie at least 1.0 apart (standardized), so noise up to
# 0.1 per feature never moves a row closer to another example (see probes/pipeline.py).
def _pipeline_case(name: str, batch_size: int, noise_std: float, seed: int, case_seed: int = 0,
                   hidden: bool = False) -> Case:
    return Case(name, dict(x=DataArray(DATA, "train", "x"), y=DataArray(DATA, "train", "y"), batch_size=batch_size,
                           noise_std=noise_std, seed=seed), seed=case_seed, hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
CASES = ("default", "other_seed", "small_batches", "big_batches")
SHUFFLE = "    dataset = dataset.shuffle(buffer_size=len(x), seed=seed, reshuffle_each_iteration=True)\n"
AUGMENT = "    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)\n"
BATCH = "    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)"


def _in_every_case(*checks: str) -> tuple[str, ...]:
    return tuple(f"{case}.{check}" for check in checks for case in CASES)


MISCONCEPTIONS = (
    # Noise of the wrong size: the rows still follow the reference's order (tried first, refuted by no row), so
    # only the noise level fails, naming the student's own.
    Misconception("noise ten times too large",
        edits=(("stddev=noise_std,", "stddev=noise_std * 10,"),),
        fails=_in_every_case("augmented"),
        says="noise of standard deviation 0.996"),
    Misconception("the variance taken for the standard deviation",
        edits=(("stddev=noise_std,", "stddev=noise_std ** 2,"),),
        fails=_in_every_case("augmented"),
        says="noise of standard deviation 0.010"),
    Misconception("noise added to the labels too",
        edits=(("        return features + noise, labels",
          "        return features + noise, tf.cast(labels, features.dtype) + tf.random.normal(tf.shape(labels), "
          "stddev=noise_std)"),),
        fails=_in_every_case("examples_intact", "element_spec"),
        says="341 labels changed (by up to 0.369): labels pass through unchanged"),
    Misconception("augmentation forgotten",
        edits=((AUGMENT, ""),),
        # Without noise, whether it is new in epoch 2 cannot be told: fresh_noise says so, without advice.
        fails=_in_every_case("fresh_noise", "augmented"),
        says="not assessed: augmented failed (the features come out exactly as they went in)"),
    # Ordering mistakes: each loses the order check alone, which says how the order differs.
    Misconception("shuffle after batch()",
        edits=((SHUFFLE + AUGMENT, "    dataset = dataset.batch(batch_size)\n" + SHUFFLE + AUGMENT),
         (BATCH, "    return dataset.prefetch(tf.data.AUTOTUNE)")),
        # The smaller batch now comes anywhere: batch_sizes compares the sizes, not where they come.
        fails=_in_every_case("seeded_order"),
        says="epoch 1 yields runs of consecutive inputs (32, 33, 34, 35, 36, 37, 38, 39, ...): whole batches were "
             "shuffled, not the examples in them"),
    Misconception("a shuffle buffer of one batch",
        edits=(("shuffle(buffer_size=len(x),", "shuffle(buffer_size=batch_size,"),),
        fails=_in_every_case("seeded_order"),
        says="never brings an example more than 31 places forward: a shuffle buffer of about 32 examples, "
             "not one of all 341"),
    Misconception("shuffle without a seed",
        edits=(("seed=seed, reshuffle_each_iteration=True", "reshuffle_each_iteration=True"),),
        # The order is still reproducible (the grader seeds the process) but not the one `seed` asks for.
        fails=_in_every_case("seeded_order"),
        says="shuffle with buffer_size=len(x) and seed=seed"),
    # The rule the task states: the global seed is the grader's. TensorFlow derives a shuffle's order from the
    # global seed and the op's together, so setting it anywhere before shuffle() costs the order check, whose
    # message says why.
    Misconception("the global seed set in make_pipeline",
        edits=(("    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
          "    tf.random.set_seed(seed)\n    dataset = tf.data.Dataset.from_tensor_slices((x, y))"),),
        fails=_in_every_case("seeded_order"),
        says="a full shuffle, but not the one shuffle(buffer_size=len(x), seed=seed) gives under the grader's "
             "global seed"),
    Misconception("the global seed set at the top of the file",
        edits=(("import tensorflow as tf\n", "import keras\nimport tensorflow as tf\n\nkeras.utils.set_random_seed(42)\n"),),
        fails=_in_every_case("seeded_order"),
        says="do not set the global seed (tf.random.set_seed, keras.utils.set_random_seed): TensorFlow derives "
             "the order from both seeds, and the grader has set the global one"),
    Misconception("the same order every epoch",
        edits=(("reshuffle_each_iteration=True", "reshuffle_each_iteration=False"),),
        # Without reshuffling, TensorFlow also draws epoch 1's order differently, and map() draws the same noise
        # sequence every epoch, which now lands on the same examples: neither can be assessed.
        fails=_in_every_case("reshuffled", "seeded_order", "fresh_noise"),
        says="epoch 2 visits the examples in the same order as epoch 1"),
    # Noise fixed to each example.
    Misconception("noise added once with NumPy, before the pipeline",
        edits=(("import tensorflow as tf", "import numpy as np\nimport tensorflow as tf"),
         ("    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
          '    x = x + np.random.normal(0.0, noise_std, x.shape).astype("float32")\n'
          "    dataset = tf.data.Dataset.from_tensor_slices((x, y))"),
         (AUGMENT, "")),
        fails=_in_every_case("fresh_noise"),
        says="epoch 2 adds exactly the same noise to each example as epoch 1"),
    Misconception("map() before shuffle()",
        edits=((SHUFFLE + AUGMENT, AUGMENT + SHUFFLE),),
        # map() draws the same sequence every epoch: before the shuffle, example i gets the same noise each time.
        fails=_in_every_case("fresh_noise"),
        says="epoch 2 adds exactly the same noise to each example as epoch 1"),
    Misconception("last partial batch dropped",
        edits=(("dataset.batch(batch_size)", "dataset.batch(batch_size, drop_remainder=True)"),),
        # The examples it yields still come in the reference's order: the order check passes.
        fails=_in_every_case("element_spec", "batch_sizes", "examples_intact"),
        says="elements are (float32 (32, 30), int32 (32,)); expected: elements are (float32 (None, 30), int32 (None,))"),
    Misconception("noise ten times too large and no seed",
        edits=(("stddev=noise_std,", "stddev=noise_std * 10,"),
         ("seed=seed, reshuffle_each_iteration=True", "reshuffle_each_iteration=True")),
        # Two mistakes: with another order, rows this noisy cannot be matched to inputs one by one.
        fails=_in_every_case("examples_intact", "augmented", "fresh_noise", "reshuffled", "seeded_order"),
        says="not assessed: matching rows to inputs failed (the rows lie 0.97 per feature from their nearest "
             "inputs, too far to tell which input each comes from: see augmented)"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=19,
    slug="tf_data",
    title="A shuffled, augmented, batched input pipeline",
    concept="tf.data.Dataset",
    task="""
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
    """,
    keras3_notes="""
        `tf.data` belongs to TensorFlow and is unchanged: `from tensorflow.data import Dataset` still
        works. Use `tf.data.AUTOTUNE` (the old `tf.data.experimental.AUTOTUNE` is an alias). Keras 3's
        `model.fit` takes the dataset itself (`fit_generator` is gone); for images, Keras 3's
        `RandomFlip`/`RandomRotation` layers replace `ImageDataGenerator` and can be mapped over a dataset.
    """,
    functions=(Function("make_pipeline", returns="dataset"),),
    cases=(
        _pipeline_case("default", batch_size=32, noise_std=0.1, seed=7),
        _pipeline_case("other_seed", batch_size=32, noise_std=0.1, seed=8),
        ### BEGIN HIDDEN TESTS
        _pipeline_case("small_batches", batch_size=16, noise_std=0.05, seed=123, case_seed=5, hidden=True),
        _pipeline_case("big_batches", batch_size=50, noise_std=0.08, seed=0, case_seed=11, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        PropertyMatches(EPOCHS, "element_spec", points=2,
                        hint="make (features, label) elements with from_tensor_slices((x, y)) and batch them"),
        PropertyMatches(EPOCHS, "batch_sizes", points=1,
                        hint="use .batch(batch_size) and keep the last, smaller batch"),
        PropertyMatches(EPOCHS, "examples_intact", points=2,
                        hint="yield every example once per epoch (keep the last, smaller batch) and change only "
                             "the features"),
        # Noise levels are compared to two decimals: the same stddev measures the same within 0.01.
        PropertyMatches(EPOCHS, "augmented", points=2, tolerance=0.011,
                        hint="in map(), add tf.random.normal(tf.shape(features), stddev=noise_std) to the features"),
        PropertyMatches(EPOCHS, "fresh_noise", points=1,
                        hint="draw the noise inside map(), after shuffle(): map() draws the same noise sequence "
                             "every epoch, so only a new order gives each example new noise"),
        PropertyMatches(EPOCHS, "reshuffled", points=1, hint="keep reshuffle_each_iteration=True (the default)"),
        PropertyMatches(EPOCHS, "seeded_order", points=2,
                        hint="shuffle with buffer_size=len(x) and seed=seed, before map() and batch(), and do not "
                             "set the global seed (tf.random.set_seed, keras.utils.set_random_seed): TensorFlow "
                             "derives the order from both seeds, and the grader has set the global one"),
    ),
    misconceptions=MISCONCEPTIONS,
)

from autograder.spec import Case, DataArray, Exercise, Function, PipelineEpochs, PropertyMatches

DATA = "breast_cancer"
EPOCHS = PipelineEpochs(DATA, "train")


# The grader recognises each yielded row by the reference's order for the same epoch, unless a row refutes it,
# or else by its nearest input example: breast cancer rows lie at least 1.0 apart (standardized), so noise up to
# 0.1 per feature never moves a row closer to another example (see probes/pipeline.py).
def _pipeline_case(name: str, batch_size: int, noise_std: float, seed: int, case_seed: int = 0,
                   hidden: bool = False) -> Case:
    return Case(name, dict(x=DataArray(DATA, "train", "x"), y=DataArray(DATA, "train", "y"), batch_size=batch_size,
                           noise_std=noise_std, seed=seed), seed=case_seed, hidden=hidden)


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
)

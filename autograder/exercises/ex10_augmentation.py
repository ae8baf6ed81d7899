from autograder.spec import (
    AugmentedBatch,
    AugmenterProbe,
    BatchMatches,
    Case,
    DataArray,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    Misconception,
    PropertyMatches,
)

DATA = "digits_sample"
IMAGES, LABELS = DataArray(DATA, "train", "x"), DataArray(DATA, "train", "y")
# The grader rebuilds the case's inputs itself and measures the returned batch against them.
GENERATED = AugmentedBatch(IMAGES, LABELS)
# The grader applies the returned model to test images the student's code never received.
PROBED = AugmenterProbe(DATA, count=30)  # the whole test split of digits_sample
GENERATOR, AUGMENTER = "augment_with_generator", "build_augmenter"


def _generator_case(name: str, zoom_range: float, shear_range: float, seed: int, case_seed: int = 0,
                    hidden: bool = False) -> Case:
    # `seed` differs from the case's seed, which also seeds NumPy's global generator: a batch drawn
    # without passing `seed` to flow() then differs from the reference's.
    return Case(name, dict(images=IMAGES, labels=LABELS, zoom_range=zoom_range, shear_range=shear_range, seed=seed),
                function=GENERATOR, seed=case_seed, hidden=hidden)


def _augmenter_case(name: str, zoom: float, rotation: float, shift: float, seed: int, case_seed: int = 0,
                    hidden: bool = False) -> Case:
    return Case(name, dict(input_shape=(8, 8, 1), zoom=zoom, rotation=rotation, shift=shift, seed=seed),
                function=AUGMENTER, seed=case_seed, hidden=hidden)


# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
GENERATOR_CASES = ("generator", "generator_strong", "generator_mild")
AUGMENTER_CASES = ("augmenter", "augmenter_strong", "augmenter_mild")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


MISCONCEPTIONS = (
    Misconception("generator shuffles the batch",
        edits=((", shuffle=False", ""),),
        # flow() shuffles by default: images and labels stay paired but leave the inputs' order.
        fails=each(GENERATOR_CASES, "labels_kept", "batch"),
        says="labels differ from the inputs' labels at the same position"),
    Misconception("generator seed not passed to flow()",
        edits=(("shuffle=False, seed=seed)", "shuffle=False)"),),
        # NumPy's global generator was seeded with the case's seed, not `seed`: other transformations.
        fails=each(GENERATOR_CASES, "batch"),
        says="90 of 90 augmented images differ from the reference's"),
    Misconception("generator without its transformations",
        edits=(("ImageDataGenerator(zoom_range=zoom_range, shear_range=shear_range)", "ImageDataGenerator()"),),
        fails=each(GENERATOR_CASES, "pixels_changed", "batch"),
        says="the returned batch changed 0 of 90 images"),
    Misconception("random layers without a seed",
        edits=((", seed=seed),\n", "),\n"),),
        # Each fresh copy draws its own seeds, so neither the copies nor the reference agree.
        fails=each(AUGMENTER_CASES, "reproducible", "batch"),
        says="two fresh copies of the model augmented the same images differently"),
    Misconception("zoom with an independent width factor",
        edits=(("layers.RandomZoom(zoom, seed=seed)", "layers.RandomZoom(zoom, zoom, seed=seed)"),),
        fails=each(AUGMENTER_CASES, "layer_config", "batch"),
        says="layer 3 RandomZoom: width_factor expected None, got 0.2"),
    Misconception("rescaling after the augmentation",
        edits=(("        layers.RandomTranslation(shift, shift, seed=seed),\n",
          "        layers.RandomTranslation(shift, shift, seed=seed),\n        layers.Rescaling(1 / 16),\n"),),
        # Rescaling is not an augmentation: it also changes the images at inference.
        fails=each(AUGMENTER_CASES, "layer_types", "layer_config", "identity_at_inference", "batch"),
        says="layer 5: unexpected Rescaling"),
    # A batch of the wrong shape: what can still be measured is, what cannot says why, without advice.
    Misconception("generator batch of flow()'s default size",
        edits=(("batch_size=len(images), ", ""),),
        # The 32 images are the first 32 inputs': their labels stayed with them and their pixels changed.
        fails=each(GENERATOR_CASES, "shape", "batch"),
        says="x has shape (32, 8, 8, 1) for inputs of shape (90, 8, 8, 1)"),
    Misconception("generator batch without its channel axis",
        edits=(("    return x, y\n", "    return x[..., 0], y\n"),),
        fails=each(GENERATOR_CASES, "pixels_changed", "shape", "batch"),
        says="not assessed: shape failed (x has shape (90, 8, 8) for inputs of shape (90, 8, 8, 1))"),
    Misconception("random crop after the augmentation",
        edits=(("        layers.RandomTranslation(shift, shift, seed=seed),\n",
          "        layers.RandomTranslation(shift, shift, seed=seed),\n        layers.RandomCrop(6, 6, seed=seed),\n"),),
        # At inference RandomCrop returns the images whole: identity_at_inference is measured, and holds.
        fails=each(AUGMENTER_CASES, "pixels_changed", "layer_types", "layer_config", "shape_kept", "batch"),
        says="not assessed: shape_kept failed (training=True turned (30, 8, 8, 1) images into (30, 6, 6, 1))"),
    Misconception("zero padding before the augmentation",
        edits=(("        keras.Input(shape=input_shape),\n", "        keras.Input(shape=input_shape),\n        layers.ZeroPadding2D(1),\n"),),
        fails=each(AUGMENTER_CASES, "identity_at_inference", "pixels_changed", "layer_types", "layer_config",
                   "shape_kept", "batch"),
        says="not assessed: shape_kept failed (training=True turned (30, 8, 8, 1) images into (30, 10, 10, 1), "
             "and training=False into (30, 10, 10, 1))"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=10,
    slug="augmentation",
    title="Zoom, shear and friends: augmenting images reproducibly",
    concept="Data augmentation (ImageDataGenerator, Random* layers)",
    task="""
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
    """,
    keras3_notes="""
        `from tensorflow.keras.preprocessing.image import ImageDataGenerator` still works (a legacy
        class, no longer developed), but `from keras.preprocessing.image import ...` raises
        ImportError. `datagen.fit(x)` is only needed for featurewise statistics; `fit_generator` is
        gone, pass `datagen.flow(...)` to `model.fit`. The current way is preprocessing layers such
        as `RandomFlip`, `RandomRotation`, `RandomZoom` and `RandomTranslation`: they run inside the
        model (on the GPU too), are active only in training mode, save with the `.keras` file and load
        with `safe_mode=True`. `RandomRotation` takes a fraction of a turn, not degrees.
    """,
    functions=(Function(GENERATOR, returns="value"), Function(AUGMENTER, returns="model")),
    cases=(
        _generator_case("generator", zoom_range=0.2, shear_range=15.0, seed=42),
        _augmenter_case("augmenter", zoom=0.2, rotation=0.05, shift=0.1, seed=42),
        ### BEGIN HIDDEN TESTS
        _generator_case("generator_strong", zoom_range=0.35, shear_range=30.0, seed=7, case_seed=3, hidden=True),
        _generator_case("generator_mild", zoom_range=0.1, shear_range=5.0, seed=123, case_seed=11, hidden=True),
        _augmenter_case("augmenter_strong", zoom=0.3, rotation=0.1, shift=0.2, seed=5, case_seed=2, hidden=True),
        _augmenter_case("augmenter_mild", zoom=0.1, rotation=0.02, shift=0.05, seed=2024, case_seed=7, hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        PropertyMatches(GENERATED, "shape", points=1, function=GENERATOR),
        PropertyMatches(GENERATED, "labels_kept", points=1, function=GENERATOR,
                        hint="pass shuffle=False to flow() so each label stays with its image"),
        PropertyMatches(GENERATED, "pixels_changed", points=1, function=GENERATOR,
                        hint="give the ImageDataGenerator zoom_range and shear_range"),
        BatchMatches(GENERATED, points=2, function=GENERATOR,
                     hint="use only zoom_range and shear_range, and flow(images, labels, "
                          "batch_size=len(images), shuffle=False, seed=seed)"),
        LayerTypes(points=1, function=AUGMENTER),
        LayerConfig(points=1, function=AUGMENTER),
        PropertyMatches(PROBED, "shape_kept", points=1, function=AUGMENTER),
        PropertyMatches(PROBED, "pixels_changed", points=1, function=AUGMENTER,
                        hint="each random layer needs a nonzero factor"),
        PropertyMatches(PROBED, "identity_at_inference", points=1, function=AUGMENTER,
                        hint="use only Random* augmentation layers, which do nothing outside training"),
        PropertyMatches(PROBED, "reproducible", points=1, function=AUGMENTER,
                        hint="pass seed=seed to every random layer"),
        BatchMatches(PROBED, points=2, function=AUGMENTER,
                     hint="use the task's layers in its order, with its factors and seed=seed on each"),
    ),
    misconceptions=MISCONCEPTIONS,
)

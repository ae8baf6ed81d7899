from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

EXERCISE = "ex10"

GENERATOR_CASES = ("generator", "generator_strong", "generator_mild")
AUGMENTER_CASES = ("augmenter", "augmenter_strong", "augmenter_mild")


def each(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("generator shuffles the batch",
          ((", shuffle=False", ""),),
          # flow() shuffles by default: images and labels stay paired but leave the inputs' order.
          fails=each(GENERATOR_CASES, "labels_kept", "batch"),
          says="labels differ from the inputs' labels at the same position"),
    Wrong("generator seed not passed to flow()",
          (("shuffle=False, seed=seed)", "shuffle=False)"),),
          # NumPy's global generator was seeded with the case's seed, not `seed`: other transformations.
          fails=each(GENERATOR_CASES, "batch"),
          says="90 of 90 augmented images differ from the reference's"),
    Wrong("generator without its transformations",
          (("ImageDataGenerator(zoom_range=zoom_range, shear_range=shear_range)", "ImageDataGenerator()"),),
          fails=each(GENERATOR_CASES, "pixels_changed", "batch"),
          says="the returned batch changed 0 of 90 images"),
    Wrong("random layers without a seed",
          ((", seed=seed),\n", "),\n"),),
          # Each fresh copy draws its own seeds, so neither the copies nor the reference agree.
          fails=each(AUGMENTER_CASES, "reproducible", "batch"),
          says="two fresh copies of the model augmented the same images differently"),
    Wrong("zoom with an independent width factor",
          (("layers.RandomZoom(zoom, seed=seed)", "layers.RandomZoom(zoom, zoom, seed=seed)"),),
          fails=each(AUGMENTER_CASES, "layer_config", "batch"),
          says="layer 3 RandomZoom: width_factor expected None, got 0.2"),
    Wrong("rescaling after the augmentation",
          (("        layers.RandomTranslation(shift, shift, seed=seed),\n",
            "        layers.RandomTranslation(shift, shift, seed=seed),\n        layers.Rescaling(1 / 16),\n"),),
          # Rescaling is not an augmentation: it also changes the images at inference.
          fails=each(AUGMENTER_CASES, "layer_types", "layer_config", "identity_at_inference", "batch"),
          says="layer 5: unexpected Rescaling"),
    # A batch of the wrong shape: what can still be measured is, what cannot says why, without advice.
    Wrong("generator batch of flow()'s default size",
          (("batch_size=len(images), ", ""),),
          # The 32 images are the first 32 inputs': their labels stayed with them and their pixels changed.
          fails=each(GENERATOR_CASES, "shape", "batch"),
          says="x has shape (32, 8, 8, 1) for inputs of shape (90, 8, 8, 1)"),
    Wrong("generator batch without its channel axis",
          (("    return x, y\n", "    return x[..., 0], y\n"),),
          fails=each(GENERATOR_CASES, "pixels_changed", "shape", "batch"),
          says="not assessed: shape failed (x has shape (90, 8, 8) for inputs of shape (90, 8, 8, 1))"),
    Wrong("random crop after the augmentation",
          (("        layers.RandomTranslation(shift, shift, seed=seed),\n",
            "        layers.RandomTranslation(shift, shift, seed=seed),\n        layers.RandomCrop(6, 6, seed=seed),\n"),),
          # At inference RandomCrop returns the images whole: identity_at_inference is measured, and holds.
          fails=each(AUGMENTER_CASES, "pixels_changed", "layer_types", "layer_config", "shape_kept", "batch"),
          says="not assessed: shape_kept failed (training=True turned (30, 8, 8, 1) images into (30, 6, 6, 1))"),
    Wrong("zero padding before the augmentation",
          (("        keras.Input(shape=input_shape),\n", "        keras.Input(shape=input_shape),\n        layers.ZeroPadding2D(1),\n"),),
          fails=each(AUGMENTER_CASES, "identity_at_inference", "pixels_changed", "layer_types", "layer_config",
                     "shape_kept", "batch"),
          says="not assessed: shape_kept failed (training=True turned (30, 8, 8, 1) images into (30, 10, 10, 1), "
               "and training=False into (30, 10, 10, 1))"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

SAME = [
    Same("symmetric factors written as ranges",
         (("layers.RandomRotation(rotation, seed=seed)", "layers.RandomRotation((-rotation, rotation), seed=seed)"),
          ("layers.RandomZoom(zoom, seed=seed)", "layers.RandomZoom((-zoom, zoom), seed=seed)"),
          ("layers.RandomTranslation(shift, shift, seed=seed)",
           "layers.RandomTranslation((-shift, shift), (-shift, shift), seed=seed)"))),
    Same("the generator's first batch by index",
         (("    x, y = next(batches)\n", "    x, y = batches[0]\n"),)),
    Same("keyword arguments and layers.Input",
         (('layers.RandomFlip("horizontal", seed=seed)', 'layers.RandomFlip(mode="horizontal", seed=seed)'),
          ("        keras.Input(shape=input_shape),\n", "        layers.Input(shape=input_shape),\n"))),
]

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

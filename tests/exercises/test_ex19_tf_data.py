import numpy as np
from contract import Wrong, contract_tests
from equivalent import Same, equivalent_tests

from autograder import exercises as registry
from autograder.course import datasets
from autograder.measure.probes import pipeline
from autograder.spec import PipelineEpochs, PropertyMatches

EXERCISE = "ex19"
CASES = ("default", "other_seed", "small_batches", "big_batches")
SHUFFLE = "    dataset = dataset.shuffle(buffer_size=len(x), seed=seed, reshuffle_each_iteration=True)\n"
AUGMENT = "    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)\n"
BATCH = "    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)"


def _in_every_case(*checks: str) -> tuple[str, ...]:
    return tuple(f"{case}.{check}" for check in checks for case in CASES)


WRONG = [
    # Noise of the wrong size: the rows still follow the reference's order (tried first, refuted by no row), so
    # only the noise level fails, naming the student's own.
    Wrong("noise ten times too large",
          (("stddev=noise_std,", "stddev=noise_std * 10,"),),
          fails=_in_every_case("augmented"),
          says="noise of standard deviation 0.996"),
    Wrong("the variance taken for the standard deviation",
          (("stddev=noise_std,", "stddev=noise_std ** 2,"),),
          fails=_in_every_case("augmented"),
          says="noise of standard deviation 0.010"),
    Wrong("noise added to the labels too",
          (("        return features + noise, labels",
            "        return features + noise, tf.cast(labels, features.dtype) + tf.random.normal(tf.shape(labels), "
            "stddev=noise_std)"),),
          fails=_in_every_case("examples_intact", "element_spec"),
          says="341 labels changed (by up to 0.369): labels pass through unchanged"),
    Wrong("augmentation forgotten",
          ((AUGMENT, ""),),
          # Without noise, whether it is new in epoch 2 cannot be told: fresh_noise says so, without advice.
          fails=_in_every_case("fresh_noise", "augmented"),
          says="not assessed: augmented failed (the features come out exactly as they went in)"),
    # Ordering mistakes: each loses the order check alone, which says how the order differs.
    Wrong("shuffle after batch()",
          ((SHUFFLE + AUGMENT, "    dataset = dataset.batch(batch_size)\n" + SHUFFLE + AUGMENT),
           (BATCH, "    return dataset.prefetch(tf.data.AUTOTUNE)")),
          # The smaller batch now comes anywhere: batch_sizes compares the sizes, not where they come.
          fails=_in_every_case("seeded_order"),
          says="epoch 1 yields runs of consecutive inputs (32, 33, 34, 35, 36, 37, 38, 39, ...): whole batches were "
               "shuffled, not the examples in them"),
    Wrong("a shuffle buffer of one batch",
          (("shuffle(buffer_size=len(x),", "shuffle(buffer_size=batch_size,"),),
          fails=_in_every_case("seeded_order"),
          says="never brings an example more than 31 places forward: a shuffle buffer of about 32 examples, "
               "not one of all 341"),
    Wrong("shuffle without a seed",
          (("seed=seed, reshuffle_each_iteration=True", "reshuffle_each_iteration=True"),),
          # The order is still reproducible (the grader seeds the process) but not the one `seed` asks for.
          fails=_in_every_case("seeded_order"),
          says="shuffle with buffer_size=len(x) and seed=seed"),
    # The rule the task states: the global seed is the grader's. TensorFlow derives a shuffle's order from the
    # global seed and the op's together, so setting it anywhere before shuffle() costs the order check, whose
    # message says why.
    Wrong("the global seed set in make_pipeline",
          (("    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
            "    tf.random.set_seed(seed)\n    dataset = tf.data.Dataset.from_tensor_slices((x, y))"),),
          fails=_in_every_case("seeded_order"),
          says="a full shuffle, but not the one shuffle(buffer_size=len(x), seed=seed) gives under the grader's "
               "global seed"),
    Wrong("the global seed set at the top of the file",
          (("import tensorflow as tf\n", "import keras\nimport tensorflow as tf\n\nkeras.utils.set_random_seed(42)\n"),),
          fails=_in_every_case("seeded_order"),
          says="do not set the global seed (tf.random.set_seed, keras.utils.set_random_seed): TensorFlow derives "
               "the order from both seeds, and the grader has set the global one"),
    Wrong("the same order every epoch",
          (("reshuffle_each_iteration=True", "reshuffle_each_iteration=False"),),
          # Without reshuffling, TensorFlow also draws epoch 1's order differently, and map() draws the same noise
          # sequence every epoch, which now lands on the same examples: neither can be assessed.
          fails=_in_every_case("reshuffled", "seeded_order", "fresh_noise"),
          says="epoch 2 visits the examples in the same order as epoch 1"),
    # Noise fixed to each example.
    Wrong("noise added once with NumPy, before the pipeline",
          (("import tensorflow as tf", "import numpy as np\nimport tensorflow as tf"),
           ("    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
            '    x = x + np.random.normal(0.0, noise_std, x.shape).astype("float32")\n'
            "    dataset = tf.data.Dataset.from_tensor_slices((x, y))"),
           (AUGMENT, "")),
          fails=_in_every_case("fresh_noise"),
          says="epoch 2 adds exactly the same noise to each example as epoch 1"),
    Wrong("map() before shuffle()",
          ((SHUFFLE + AUGMENT, AUGMENT + SHUFFLE),),
          # map() draws the same sequence every epoch: before the shuffle, example i gets the same noise each time.
          fails=_in_every_case("fresh_noise"),
          says="epoch 2 adds exactly the same noise to each example as epoch 1"),
    Wrong("last partial batch dropped",
          (("dataset.batch(batch_size)", "dataset.batch(batch_size, drop_remainder=True)"),),
          # The examples it yields still come in the reference's order: the order check passes.
          fails=_in_every_case("element_spec", "batch_sizes", "examples_intact"),
          says="elements are (float32 (32, 30), int32 (32,)); expected: elements are (float32 (None, 30), int32 (None,))"),
    Wrong("noise ten times too large and no seed",
          (("stddev=noise_std,", "stddev=noise_std * 10,"),
           ("seed=seed, reshuffle_each_iteration=True", "reshuffle_each_iteration=True")),
          # Two mistakes: with another order, rows this noisy cannot be matched to inputs one by one.
          fails=_in_every_case("examples_intact", "augmented", "fresh_noise", "reshuffled", "seeded_order"),
          says="not assessed: matching rows to inputs failed (the rows lie 0.97 per feature from their nearest "
               "inputs, too far to tell which input each comes from: see augmented)"),
]

SAME = [
    Same("a lambda instead of a named function",
         ((AUGMENT, "    dataset = dataset.map(lambda f, l: (f + tf.random.normal(tf.shape(f), stddev=noise_std), l))\n"),)),
    Same("map() without num_parallel_calls",
         (("dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)", "dataset.map(augment)"),)),
    Same("arguments by position and written out",
         (("dataset.shuffle(buffer_size=len(x), seed=seed, reshuffle_each_iteration=True)",
           "dataset.shuffle(len(x), seed)"),
          ("tf.random.normal(tf.shape(features), stddev=noise_std, dtype=features.dtype)",
           "tf.random.normal(shape=tf.shape(features), mean=0.0, stddev=noise_std)"),
          (BATCH, "    return dataset.batch(batch_size, drop_remainder=False).prefetch(buffer_size=1)"))),
]


def test_reference_pipeline_has_every_property(reference):
    """Checks compare with the reference, so the reference itself must show what the task asks for, and lend
    its orders to the matching of a submission's rows."""
    exercise = registry.get(EXERCISE)
    key = exercise.checks[0].observation.key
    for case, observed in reference.observations(exercise, exercise.cases).items():
        properties = observed[key]["value"]
        assert all(properties[name]["value"] is True for name in ("examples_intact", "fresh_noise", "reshuffled")), case
        assert properties["augmented"]["value"] == exercise.case(case).kwargs["noise_std"], case
        assert properties["orders"][0] == properties["seeded_order"]["value"], case
        assert not any("unassessed" in entry for entry in properties.values() if isinstance(entry, dict)), case


def test_unassessed_property_fails_with_its_own_note_only():
    check = PropertyMatches(PipelineEpochs("breast_cancer"), "fresh_noise", hint="advice for another mistake")
    reference = {"fresh_noise": {"value": True, "note": "each epoch adds new noise to every example"}}
    student = {"fresh_noise": pipeline.not_assessed("augmented", "the features come out exactly as they went in")}
    verdict = check.compare(student, reference)
    assert not verdict.passed
    assert verdict.message == "not assessed: augmented failed (the features come out exactly as they went in)"


def _inputs():
    """The exercise's own inputs: 341 standardized breast cancer rows, the closest two 1.01 apart."""
    inputs = datasets.load("breast_cancer", seed=0).array("train", "x").astype("float64")
    return inputs, pipeline._input_distances(inputs)


def test_rows_with_large_noise_follow_the_order_they_come_in():
    """Noise ten times the reference's hides which input a row is nearest to, not which order the rows follow."""
    inputs, between = _inputs()
    rng = np.random.default_rng(1)
    order = rng.permutation(len(inputs))
    rows = inputs[order] + 1.0 * rng.standard_normal(inputs.shape)
    nearest = pipeline._match(rows, inputs, between, None)
    assert not nearest.reliable and (nearest.order != order).any()
    followed = pipeline._match(rows, inputs, between, order.tolist())
    assert followed.followed and followed.reliable and (followed.order == order).all()


def test_rows_in_another_order_refute_it():
    inputs, between = _inputs()
    rng = np.random.default_rng(2)
    order, other = rng.permutation(len(inputs)), rng.permutation(len(inputs))
    for sigma in (0.1, 1.0):
        rows = inputs[order] + sigma * rng.standard_normal(inputs.shape)
        assert not pipeline._match(rows, inputs, between, other.tolist()).followed, sigma
    # Small noise: each row's nearest input is its own, beyond doubt.
    matched = pipeline._match(inputs[order] + 0.1 * rng.standard_normal(inputs.shape), inputs, between, other.tolist())
    assert matched.reliable and (matched.order == order).all()


def test_noise_that_hides_every_order_follows_none():
    inputs, between = _inputs()
    rng = np.random.default_rng(3)
    order = rng.permutation(len(inputs))
    rows = inputs[order] + 20.0 * rng.standard_normal(inputs.shape)
    matched = pipeline._match(rows, inputs, between, rng.permutation(len(inputs)).tolist())
    assert not matched.followed and not matched.reliable


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

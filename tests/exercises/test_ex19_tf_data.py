from contract import Wrong, contract_tests

from autograder import exercises as registry

EXERCISE = "ex19"
CASES = ("default", "other_seed", "small_batches", "big_batches")


def _in_every_case(*checks: str) -> tuple[str, ...]:
    return tuple(f"{case}.{check}" for check in checks for case in CASES)


WRONG = [
    Wrong("shuffle without a seed",
          (("seed=seed, reshuffle_each_iteration=True", "reshuffle_each_iteration=True"),),
          # The order is still reproducible (the grader seeds the process) but not the one `seed` asks for.
          fails=_in_every_case("seeded_order"),
          says="shuffle with buffer_size=len(x) and seed=seed"),
    Wrong("noise added once with NumPy, before the pipeline",
          (("import tensorflow as tf", "import numpy as np\nimport tensorflow as tf"),
           ("    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
            '    x = x + np.random.normal(0.0, noise_std, x.shape).astype("float32")\n'
            "    dataset = tf.data.Dataset.from_tensor_slices((x, y))"),
           ("    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)\n", "")),
          fails=_in_every_case("fresh_noise"),
          says="epoch 2 adds exactly the same noise to each example as epoch 1"),
    Wrong("the same order every epoch",
          (("reshuffle_each_iteration=True", "reshuffle_each_iteration=False"),),
          # Without reshuffling, TensorFlow also draws epoch 1's order differently, and map() draws the
          # same noise sequence every epoch, which now lands on the same examples.
          fails=_in_every_case("reshuffled", "seeded_order", "fresh_noise"),
          says="epoch 2 visits the examples in the same order as epoch 1"),
    Wrong("last partial batch dropped",
          (("dataset.batch(batch_size)", "dataset.batch(batch_size, drop_remainder=True)"),),
          fails=_in_every_case("element_spec", "batch_sizes", "examples_intact", "seeded_order"),
          says="elements are (float32 (32, 30), int32 (32,)); expected: elements are (float32 (None, 30), int32 (None,))"),
    Wrong("augmentation forgotten",
          (("    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)\n", ""),),
          fails=_in_every_case("augmented", "fresh_noise"),
          says="the features come out exactly as they went in: no augmentation was applied"),
]


def test_reference_pipeline_has_every_property(reference):
    """Checks compare with the reference, so the reference itself must show what the task asks for."""
    exercise = registry.get(EXERCISE)
    key = exercise.checks[0].observation.key
    for case, observed in reference.observations(exercise, exercise.cases).items():
        properties = observed[key]["value"]
        assert all(properties[name]["value"] is True for name in ("examples_intact", "fresh_noise", "reshuffled")), case
        assert properties["augmented"]["value"] == exercise.case(case).kwargs["noise_std"], case


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)

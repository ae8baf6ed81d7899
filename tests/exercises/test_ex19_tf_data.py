import numpy as np
from contract import contract_tests
from equivalent import Same, equivalent_tests

from autograder import exercises as registry
from autograder.course import datasets
from autograder.exercises.ex19_tf_data import AUGMENT, BATCH
from autograder.measure.probes import pipeline
from autograder.spec import PipelineEpochs, PropertyMatches

EXERCISE = "ex19"


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
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE)

test_equivalent_spelling_earns_full_marks = equivalent_tests(EXERCISE, SAME)

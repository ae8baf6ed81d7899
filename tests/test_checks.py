"""Check kinds compare plain observations; no TensorFlow needed, so these run in milliseconds."""

from autograder.measure.summary import LayerInfo, ModelSummary
from autograder.spec import (
    Evaluated,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    OutputShapes,
    ParamCounts,
    StoppingPoint,
    ValueEquals,
)


def layer(index, cls, shape, trainable=0, config=None, bases=None, non_trainable=0):
    return LayerInfo(index, f"{cls.lower()}_{index}", cls, tuple(bases or (cls, "Layer")), shape, trainable,
                     non_trainable, config or {})


def summary(*layers):
    return ModelSummary("Sequential", tuple(layers), None, layers[-1].output_shape).to_dict()


CNN = summary(
    layer(1, "Conv2D", (None, 8, 8, 16), 160, {"filters": 16, "kernel_size": [3, 3], "activation": "relu"}),
    layer(2, "MaxPooling2D", (None, 8, 8, 16), 0, {"pool_size": [1, 1]}),
    layer(3, "Conv2D", (None, 6, 6, 32), 4640, {"filters": 32, "kernel_size": [3, 3], "activation": "relu"}),
    layer(4, "Flatten", (None, 1152)),
    layer(5, "Dense", (None, 10), 11530, {"units": 10, "activation": "softmax"}),
)


def with_layer(base, index, replacement):
    layers = list(base["layers"])
    layers[index - 1] = replacement.to_dict()
    out = dict(base, layers=layers)
    return out


def test_identical_summaries_pass_every_structure_check():
    for check in (LayerTypes(), OutputShapes(), ParamCounts(), LayerConfig("filters", "kernel_size", "units")):
        verdict = check.compare(CNN, CNN)
        assert verdict.passed, verdict.message


def test_layer_type_message_names_position_expected_and_got():
    student = with_layer(CNN, 3, layer(3, "Dense", (None, 64), 1088, {"units": 64, "activation": "relu"}))
    verdict = LayerTypes().compare(student, CNN)
    assert not verdict.passed
    assert verdict.message == "layer 3: expected Conv2D(32, 3x3) -> (None, 6, 6, 32), got Dense(64) -> (None, 64)"


def test_missing_layer_is_reported_as_missing():
    student = dict(CNN, layers=[x for x in CNN["layers"] if x["index"] != 2])
    verdict = LayerTypes().compare(student, CNN)
    assert not verdict.passed
    assert verdict.message.startswith("expected 5 layers, got 4; layer 2: expected MaxPooling2D(1x1)")
    assert "missing" in verdict.message


def test_an_extra_layer_of_an_expected_class_is_named_by_its_size():
    first, output = layer(1, "Dense", (None, 64), 4160, {"units": 64}), layer(2, "Dense", (None, 10), 650, {"units": 10})
    wider = summary(first, layer(2, "Dense", (None, 32), 2080, {"units": 32}),
                    layer(3, "Dense", (None, 10), 330, {"units": 10}))
    verdict = LayerTypes().compare(wider, summary(first, output))
    assert verdict.message == "expected 2 layers, got 3; layer 2: unexpected Dense(32) -> (None, 32) (extra)"


def test_subclass_of_expected_layer_is_accepted():
    subclass = layer(4, "MyFlatten", (None, 1152), bases=("MyFlatten", "Flatten", "Layer"))
    assert LayerTypes().compare(with_layer(CNN, 4, subclass), CNN).passed


def test_output_shape_and_parameter_differences_are_named():
    student = with_layer(CNN, 3, layer(3, "Conv2D", (None, 6, 6, 8), 1160,
                                       {"filters": 8, "kernel_size": [3, 3], "activation": "relu"}))
    shapes = OutputShapes().compare(student, CNN)
    assert not shapes.passed
    assert shapes.message.startswith("layer 3 Conv2D(32, 3x3): expected output (None, 6, 6, 32), got (None, 6, 6, 8)")
    params = ParamCounts().compare(student, CNN)
    assert not params.passed
    assert "layer 3 Conv2D(32, 3x3): expected 4,640 trainable parameters, got 1,160" in params.message
    assert "in total: expected 16,330 trainable" in params.message


def test_non_trainable_parameters_are_compared_too():
    bn = layer(2, "BatchNormalization", (None, 8, 8, 16), 32, non_trainable=32)
    plain = layer(2, "BatchNormalization", (None, 8, 8, 16), 32, non_trainable=0)
    verdict = ParamCounts().compare(with_layer(CNN, 2, plain), with_layer(CNN, 2, bn))
    assert not verdict.passed and "expected 32 non-trainable parameters, got 0" in verdict.message


def test_layer_config_names_key_expected_and_got():
    student = with_layer(CNN, 5, layer(5, "Dense", (None, 10), 11530, {"units": 10, "activation": "sigmoid"}))
    verdict = LayerConfig("units", "activation").compare(student, CNN)
    assert not verdict.passed
    assert verdict.message == "layer 5 Dense(10): activation expected 'softmax', got 'sigmoid'"


def test_config_check_ignores_keys_it_was_not_asked_about():
    student = with_layer(CNN, 5, layer(5, "Dense", (None, 10), 11530, {"units": 10, "activation": "sigmoid"}))
    assert LayerConfig("units").compare(student, CNN).passed


def test_metric_threshold_is_reference_minus_margin():
    check = MetricAtLeast(Evaluated("digits_images"), margin=0.05)
    assert check.compare({"metric": 0.90}, {"metric": 0.95}).passed
    verdict = check.compare({"metric": 0.89}, {"metric": 0.95})
    assert not verdict.passed and "needs at least 0.900" in verdict.message
    assert not check.compare({"metric": float("nan")}, {"metric": 0.95}).passed


def test_stopping_point_compares_epochs_after_the_best():
    reference = {"val_loss": [0.9, 0.5, 0.4, 0.45, 0.5, 0.6]}  # best at epoch 3, stops 3 later
    assert StoppingPoint().compare(reference, reference).passed
    late = {"val_loss": [0.9, 0.5, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]}
    verdict = StoppingPoint().compare(late, reference)
    assert not verdict.passed and "stopping 5 after the best val_loss" in verdict.message
    assert "has no 'val_loss'" in StoppingPoint().compare({"loss": [1.0]}, reference).message


def test_value_equality_is_exact_for_ints_and_tolerant_for_floats():
    assert ValueEquals().compare(2080, 2080).passed
    assert not ValueEquals().compare(2048, 2080).passed
    assert ValueEquals(tolerance=1e-3).compare([0.5, 0.2501], [0.5, 0.25]).passed
    assert not ValueEquals().compare([1, 2], [1, 2, 3]).passed
    assert ValueEquals().compare(2048, 2080).message == "expected 2,080, got 2,048"

"""Check kinds compare plain observations; no TensorFlow needed, so these run in milliseconds."""

from autograder.measure.summary import LayerInfo, ModelSummary
from autograder.spec import (
    CallbackMatches,
    GivenModel,
    HistoryMatches,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    OutputShapes,
    ParamCounts,
    Replayed,
    ValueEquals,
    WeightsMatch,
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
    check = MetricAtLeast(Replayed(GivenModel("overfitting_mlp"), "noisy_blobs", epochs=5), margin=0.05)
    assert check.compare({"metric": 0.90}, {"metric": 0.95}).passed
    verdict = check.compare({"metric": 0.89}, {"metric": 0.95})
    assert not verdict.passed and "needs at least 0.900" in verdict.message
    assert not check.compare({"metric": float("nan")}, {"metric": 0.95}).passed


def early_stopping(**settings):
    defaults = dict(monitor="val_loss", min_delta=0, patience=3, verbose=0, mode="auto", baseline=None,
                    restore_best_weights=True, start_from_epoch=0)
    return {"class_name": "EarlyStopping", "settings": {**defaults, **settings}}


def test_callback_settings_are_compared_one_by_one_and_auto_mode_is_read_as_keras_reads_it():
    check = CallbackMatches()
    assert check.compare(early_stopping(mode="min", verbose=1), early_stopping()).passed  # the same stopping rule
    verdict = check.compare(early_stopping(monitor="val_accuracy", restore_best_weights=False), early_stopping())
    assert not verdict.passed
    assert "monitor='val_accuracy', expected 'val_loss'" in verdict.message
    assert "restore_best_weights=False, expected True" in verdict.message
    other = {"class_name": "ModelCheckpoint", "settings": {"filepath": "best.keras"}}
    assert check.compare(other, early_stopping()).message == "expected a EarlyStopping callback, got ModelCheckpoint"


REFERENCE_RUN = {"history": {"loss": [0.7, 0.6, 0.55], "val_loss": [0.69, 0.62, 0.64]},
                 "predictions": [0.2, 0.9, 0.4]}


def test_history_must_match_the_reference_training_epoch_by_epoch():
    check = HistoryMatches("noisy_blobs", hint="check batch_size=32")
    assert check.compare(REFERENCE_RUN, REFERENCE_RUN).passed
    machine_noise = {**REFERENCE_RUN, "history": {"loss": [0.7000001, 0.6, 0.55], "val_loss": [0.69, 0.62, 0.64]}}
    assert check.compare(machine_noise, REFERENCE_RUN).passed
    other_batch = {**REFERENCE_RUN, "history": {"loss": [0.68, 0.6, 0.55], "val_loss": [0.69, 0.62, 0.64]}}
    verdict = check.compare(other_batch, REFERENCE_RUN)
    assert not verdict.passed and "epoch 1: loss 0.6800" in verdict.message and "check batch_size=32" in verdict.message
    longer = {**REFERENCE_RUN, "history": {k: v + [0.5] for k, v in REFERENCE_RUN["history"].items()}}
    assert "training ran 4 epochs; the reference's training on the same data ran 3" in check.compare(
        longer, REFERENCE_RUN).message
    assert "has no 'val_loss'" in check.compare({**REFERENCE_RUN, "history": {"loss": [0.7]}}, REFERENCE_RUN).message
    assert not check.compare({**REFERENCE_RUN, "history": {}}, REFERENCE_RUN).passed


def test_kept_weights_must_predict_as_the_reference_kept_weights_do():
    check = WeightsMatch("noisy_blobs", "best.keras")
    assert check.id == "checkpoint" and WeightsMatch("noisy_blobs").id == "weights"
    assert check.compare(REFERENCE_RUN, REFERENCE_RUN).passed
    verdict = check.compare({**REFERENCE_RUN, "predictions": [0.2, 0.7, 0.4]}, REFERENCE_RUN)
    assert not verdict.passed and "the checkpoint best.keras predicts held-out examples up to 0.200 apart" in (
        verdict.message)
    missing = "no checkpoint best.keras was saved in the working directory"
    assert check.compare({**REFERENCE_RUN, "predictions": missing}, REFERENCE_RUN).message == missing
    assert not check.compare({**REFERENCE_RUN, "predictions": []}, REFERENCE_RUN).passed


def test_value_equality_is_exact_for_ints_and_tolerant_for_floats():
    assert ValueEquals().compare(2080, 2080).passed
    assert not ValueEquals().compare(2048, 2080).passed
    assert ValueEquals(tolerance=1e-3).compare([0.5, 0.2501], [0.5, 0.25]).passed
    assert not ValueEquals().compare([1, 2], [1, 2, 3]).passed
    assert ValueEquals().compare(2048, 2080).message == "expected 2,080, got 2,048"


def test_a_float_is_refused_where_the_reference_returns_an_int():
    verdict = ValueEquals().compare(2080.0, 2080)
    assert not verdict.passed
    assert verdict.message == "expected an int (2,080), got the float 2080.0: return an integer, e.g. int(...)"
    nested = ValueEquals().compare({"output_length": 62.0, "params": 64}, {"output_length": 62, "params": 64})
    assert nested.message == ("at ['output_length']: expected an int (62), got the float 62.0: return an integer, "
                              "e.g. int(...)")
    assert "at [1]: expected an int (2)" in ValueEquals().compare([1, 2.0], [1, 2]).message
    assert not ValueEquals().compare(10_000_001, 10_000_000).passed  # ints are exact, whatever the tolerance


def test_a_bool_is_never_a_number():
    assert ValueEquals().compare(True, 1).message == "expected the int 1, got the bool True"
    assert not ValueEquals().compare([True, False], [1.0, 0.0]).passed
    assert not ValueEquals().compare(1, True).passed
    assert ValueEquals().compare(True, True).passed


def test_an_int_is_fine_where_the_reference_returns_a_float():
    assert ValueEquals().compare([[0, 1], [1, 0]], [[0.0, 1.0], [1.0, 0.0]]).passed
    assert ValueEquals().compare(1, 1.0).passed
    assert ValueEquals(tolerance=1e-4).compare([0.04742, 0.5], [0.0474259, 0.5]).passed
    assert not ValueEquals().compare([0.04742, 0.5], [0.0474259, 0.5]).passed
    assert ValueEquals().compare(1, 0.001).message == "expected 0.001, got 1"


def test_the_pass_message_quotes_the_students_own_value():
    assert ValueEquals().compare([[0, 1]], [[0.0, 1.0]]).message == "returned [[0, 1]], as expected"
    assert ValueEquals(tolerance=1e-3).compare(0.2501, 0.25).message == "returned 0.2501, as expected"
    assert ValueEquals().compare(2080, 2080).message == "returned 2,080, as expected"


def test_a_difference_in_type_or_nesting_is_visible():
    squeezed = ValueEquals().compare([-3.0, -1.0, -1.0], [[-3.0, -1.0, -1.0]])
    assert squeezed.message == ("expected the list [[-3.0, -1.0, -1.0]], got the list [-3.0, -1.0, -1.0]: the nesting "
                                "differs, a list of 1 list of 3 numbers expected, got a list of 3 numbers")
    assert ValueEquals().compare([5], 5).message == "expected the int 5, got the list [5]"
    assert ValueEquals().compare("5", 5).message == "expected the int 5, got the str '5'"
    assert ValueEquals().compare(None, 5).message == "expected the int 5, got None"
    assert ValueEquals().compare([1, "2"], [1, 2]).message == ("expected the list [1, 2], got the list [1, '2']: "
                                                                 "a list of 2 numbers expected, got a list of 2 items")
    # Same types: the plain values, floats shown as floats and no thousands separator inside a list.
    assert ValueEquals().compare([[1, 2], [3]], [[1, 2], [3, 4]]).message == \
        "expected [[1, 2], [3, 4]], got [[1, 2], [3]]"
    assert ValueEquals().compare([2.0, 1500], [3.5, 1500]).message == "expected [3.5, 1500], got [2.0, 1500]"
    # Values that would print alike in six digits are shown in full.
    assert ValueEquals().compare(1234568.5, 1234567.0).message == "expected 1234567.0, got 1234568.5"
    assert ValueEquals().compare(123456.7, 123457.0).message == "expected 123457.0, got 123456.7"


GRU_MODEL = summary(
    layer(1, "Embedding", (None, 10, 8), 160, {"input_dim": 20, "output_dim": 8, "mask_zero": False}),
    layer(2, "GRU", (None, 32), 3072, {"units": 32, "activation": "tanh", "dropout": 0.0, "recurrent_dropout": 0.0,
                                        "kernel_initializer": "glorot_uniform", "go_backwards": False, "seed": None},
          bases=("GRU", "RNN", "Layer")),
    layer(3, "Dense", (None, 2), 66, {"units": 2, "activation": "softmax"}),
)


def gru_with(**settings):
    config = dict(GRU_MODEL["layers"][1]["config"], **settings)
    return with_layer(GRU_MODEL, 2, layer(2, "GRU", (None, 32), 3072, config, bases=("GRU", "RNN", "Layer")))


def test_layer_config_compares_the_whole_configuration_by_default():
    assert LayerConfig().compare(GRU_MODEL, GRU_MODEL).passed
    verdict = LayerConfig().compare(gru_with(recurrent_dropout=0.2), GRU_MODEL)
    assert not verdict.passed
    assert verdict.message == "layer 2 GRU(32): recurrent_dropout expected 0.0, got 0.2"
    assert not LayerConfig().compare(gru_with(go_backwards=True), GRU_MODEL).passed


def test_each_difference_is_named_with_the_students_own_value():
    verdict = LayerConfig().compare(gru_with(units=16, dropout=0.5), GRU_MODEL)
    assert verdict.message == ("layer 2 GRU(16): dropout expected 0.0, got 0.5; "
                               "layer 2 GRU(16): units expected 32, got 16")


def test_free_settings_and_the_seed_are_not_compared():
    student = gru_with(kernel_initializer="Constant(value=0.1)", seed=7)
    assert not LayerConfig().compare(student, GRU_MODEL).message.startswith("every")
    assert "kernel_initializer expected 'glorot_uniform', got 'Constant(value=0.1)'" in \
        LayerConfig().compare(student, GRU_MODEL).message
    assert LayerConfig(free=("kernel_initializer",)).compare(student, GRU_MODEL).passed
    assert LayerConfig().compare(gru_with(seed=7), GRU_MODEL).passed
    fixed = LayerConfig(fixed=("seed",)).compare(gru_with(seed=7), GRU_MODEL)
    assert not fixed.passed and fixed.message == "layer 2 GRU(32): seed expected None, got 7"


def test_values_that_print_alike_are_told_apart():
    reshape = lambda shape: summary(layer(1, "Reshape", (None, 6), 0, {"target_shape": shape}))  # noqa: E731
    verdict = LayerConfig().compare(reshape([[-3, -1, -1]]), reshape([-3, -1, -1]))
    assert verdict.message == "layer 1 Reshape: target_shape expected (-3, -1, -1), got ((-3, -1, -1),)"
    flag = lambda value: summary(layer(1, "Dense", (None, 2), 6, {"units": 2, "use_bias": value}))  # noqa: E731
    assert LayerConfig().compare(flag(1), flag(True)).message == \
        "layer 1 Dense(2): use_bias expected True, got 1"


def test_a_layer_of_another_class_is_left_to_the_layer_types_check():
    lstm = layer(2, "LSTM", (None, 32), 4096, {"units": 32, "activation": "tanh", "dropout": 0.5,
                                               "unit_forget_bias": True}, bases=("LSTM", "RNN", "Layer"))
    assert LayerConfig().compare(with_layer(GRU_MODEL, 2, lstm), GRU_MODEL).passed
    subclass = layer(2, "MyGRU", (None, 32), 3072, {"units": 32}, bases=("MyGRU", "GRU", "RNN", "Layer"))
    verdict = LayerConfig().compare(with_layer(GRU_MODEL, 2, subclass), GRU_MODEL)
    assert not verdict.passed and "layer 2 MyGRU(32): activation expected 'tanh', got no activation" in verdict.message

"""What a run child hands back for a returned value (``handback.to_plain``): JSON's numbers, strings, lists and
dicts, with NumPy arrays and scalars and the tensors of TensorFlow and Keras converted, and a bound on size."""

import numpy as np
import pytest

from autograder.children.handback import MAX_VALUE_DEPTH, MAX_VALUE_ITEMS, WrongReturn, to_plain


def test_tensors_travel_as_their_numbers():
    import keras
    import tensorflow as tf

    assert to_plain(keras.ops.one_hot([0, 2], 3), "f") == [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert to_plain(tf.constant([[1, 2]]), "f") == [[1, 2]]
    count = to_plain(keras.ops.add(keras.ops.multiply(64, 32), 32), "f")
    assert count == 2080 and type(count) is int  # an integer tensor is an int, as a NumPy integer is
    assert to_plain(tf.Variable([0.5]), "f") == [0.5] and to_plain(keras.Variable([1.5]), "f") == [1.5]
    assert to_plain({"x": tf.constant(2), "rows": (np.ones((1, 2)), [tf.constant(3.0)])}, "f") == \
        {"x": 2, "rows": [[[1.0, 1.0]], [3.0]]}
    with pytest.raises(WrongReturn, match="KerasTensor, which could not be converted to a NumPy array"):
        to_plain(keras.KerasTensor((None, 3)), "f")
    with pytest.raises(WrongReturn, match="returned a keras.Sequential, which is not a number, list or dict"):
        to_plain(keras.Sequential(), "f")


def test_numpy_scalars_become_python_numbers_and_bools_stay_bools():
    for value, expected in ((np.int64(3), 3), (np.float32(0.5), 0.5), (np.bool_(True), True)):
        assert to_plain(value, "f") == expected and type(to_plain(value, "f")) is type(expected)
    with pytest.raises(WrongReturn, match="returned a complex"):
        to_plain(1 + 2j, "f")
    with pytest.raises(WrongReturn, match="returned a value holding a set"):
        to_plain([{1}], "f")


def test_a_value_too_large_or_too_deep_is_refused_with_a_message():
    assert len(to_plain(np.zeros(MAX_VALUE_ITEMS), "f")) == MAX_VALUE_ITEMS
    for huge in (np.zeros(MAX_VALUE_ITEMS + 1), [0] * (MAX_VALUE_ITEMS + 1), [[0] * 60_000] * 2,
                 [[]] * (MAX_VALUE_ITEMS + 1), [[[]] * 60_000] * 2):
        with pytest.raises(WrongReturn, match=f"more than {MAX_VALUE_ITEMS:,} numbers"):
            to_plain(huge, "f")
    deep: list = [1]
    for _ in range(MAX_VALUE_DEPTH + 1):
        deep = [deep]
    with pytest.raises(WrongReturn, match=f"nested more than {MAX_VALUE_DEPTH} levels deep"):
        to_plain(deep, "f")

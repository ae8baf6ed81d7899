"""The datasets' splits and the files that keep them, so that grading processes need no scikit-learn."""

import numpy as np
import pytest

from autograder.course import datasets
from autograder.spec import Case, DataArray, GivenModel, data_arrays


@pytest.fixture
def builds(tmp_path, monkeypatch):
    """The names of the datasets built, in order, in a course of its own (so every load starts without a
    kept file)."""
    monkeypatch.setenv("TFGRADE_COURSE", str(tmp_path))
    datasets.load.cache_clear()
    builds = []
    for name, make in list(datasets.DATASETS.items()):
        monkeypatch.setitem(datasets.DATASETS, name, lambda seed, make=make, name=name: builds.append(name) or make(seed))
    yield builds
    datasets.load.cache_clear()


def _same(first: datasets.Splits, second: datasets.Splits) -> bool:
    arrays = ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")
    return (first.name, first.num_classes) == (second.name, second.num_classes) and all(
        a.dtype == b.dtype and np.array_equal(a, b) for a, b in
        ((getattr(first, name), getattr(second, name)) for name in arrays))


def test_a_split_is_built_once_then_read_back_from_its_file_bit_for_bit(builds):
    built = datasets.load("digits_images", seed=3)
    datasets.load.cache_clear()  # as a new process would
    read = datasets.load("digits_images", seed=3)
    assert builds == ["digits_images"]
    assert datasets.cache_file("digits_images", 3).is_file()
    assert _same(read, built) and read.x_train.shape == (1077, 8, 8, 1)


def test_each_seed_has_a_split_and_a_file_of_its_own(builds):
    first, second = datasets.load("circles", seed=0), datasets.load("circles", seed=1)
    assert not np.array_equal(first.x_train, second.x_train)
    assert datasets.cache_file("circles", 0) != datasets.cache_file("circles", 1)
    assert builds == ["circles", "circles"]


def test_a_torn_file_is_built_again_and_replaced(builds):
    built = datasets.load("waveforms", seed=0)
    datasets.cache_file("waveforms", 0).write_bytes(b"PK\x03\x04 cut short")
    datasets.load.cache_clear()
    assert _same(datasets.load("waveforms", seed=0), built)
    datasets.load.cache_clear()
    assert _same(datasets.load("waveforms", seed=0), built)
    assert builds == ["waveforms", "waveforms"]


def test_a_course_that_cannot_keep_files_still_gets_its_data(builds, tmp_path):
    (tmp_path / ".tfgrade").write_text("a file where the folder would go")
    splits = datasets.load("breast_cancer", seed=0)
    assert splits.x_train.shape == (341, 30) and splits.num_classes == 2
    assert not list(tmp_path.rglob("*.npz")) and not list(tmp_path.rglob("*.tmp"))


def test_the_file_name_follows_the_libraries_that_make_the_data(monkeypatch):
    before = datasets.cache_file("circles", 0)
    datasets._version.cache_clear()
    monkeypatch.setattr(datasets.metadata, "version", lambda package: "0.0-other")
    try:
        assert datasets.cache_file("circles", 0) != before
    finally:
        datasets._version.cache_clear()


def test_a_case_hands_its_child_the_train_and_val_arrays_of_its_seed_and_nothing_else():
    case = Case("fit", dict(model=GivenModel("overfitting_mlp", {"input_dim": 20}), epochs=3,
                            x_train=DataArray("noisy_blobs", "train", "x"), y_val=DataArray("noisy_blobs", "val", "y")),
                seed=4)
    arrays = data_arrays(case, seed=4)
    splits = datasets.load("noisy_blobs", seed=4)
    assert sorted(arrays) == ["x_train", "y_val"]
    assert np.array_equal(arrays["x_train"], splits.x_train) and np.array_equal(arrays["y_val"], splits.y_val)
    assert not np.array_equal(data_arrays(case, seed=5)["x_train"], splits.x_train)


# The instructor grades under the course's data key (autograder.course.secret): the splits are then built
# from a seed derived from the key, which a student's code cannot rebuild.
KEY = "0123456789abcdef" * 4


def test_a_data_key_gives_other_splits_of_every_part(builds):
    public = datasets.load("noisy_blobs", seed=4)
    with datasets.keyed(KEY):
        keyed = datasets.load("noisy_blobs", seed=4)
    arrays = ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")
    assert all(getattr(keyed, a).shape == getattr(public, a).shape for a in arrays)
    assert not any(np.array_equal(getattr(keyed, a), getattr(public, a)) for a in arrays if a.startswith("x"))
    assert not np.array_equal(keyed.y_test, public.y_test)


def test_the_same_key_gives_the_same_splits_in_every_process(builds):
    with datasets.keyed(KEY):
        first = datasets.load("waveforms", seed=2)
        datasets.load.cache_clear()  # as a new process would: read back from the key's own file
        again = datasets.load("waveforms", seed=2)
        assert _same(first, again) and builds == ["waveforms"]
        assert _same(first, datasets.DATASETS["waveforms"](datasets.split_seed(KEY, "waveforms", 2)))
    with datasets.keyed("another key"):
        assert not np.array_equal(datasets.load("waveforms", seed=2).x_test, first.x_test)


def test_without_a_key_each_split_is_built_from_its_public_seed(builds):
    assert datasets.current_key() is None
    for name, make in datasets.DATASETS.items():
        assert _same(datasets.load(name, seed=1), make(1)), name


def test_keys_nest_and_are_restored_also_after_an_error():
    assert datasets.current_key() is None
    with datasets.keyed("outer"):
        with datasets.keyed(None):
            assert datasets.current_key() is None
        with pytest.raises(RuntimeError):
            with datasets.keyed("inner"):
                assert datasets.current_key() == "inner"
                raise RuntimeError
        assert datasets.current_key() == "outer"
    assert datasets.current_key() is None
    with pytest.raises(ValueError):
        with datasets.keyed(""):
            pass


def test_a_keyed_split_has_a_file_and_a_cache_entry_of_its_own_named_without_the_key(builds):
    public = datasets.cache_file("circles", 0)
    loaded = datasets.load("circles", seed=0)
    with datasets.keyed(KEY):
        keyed = datasets.cache_file("circles", 0)
        assert not np.array_equal(datasets.load("circles", seed=0).x_train, loaded.x_train)
        assert keyed.is_file()
    assert public.name == f"circles-seed0-{datasets._version()}.npz"  # the public files keep their names
    assert keyed != public and KEY not in keyed.name and datasets.key_tag(KEY) in keyed.name
    assert datasets.load("circles", seed=0) is loaded  # the public entry is still the one in memory
    assert builds == ["circles", "circles"]


def test_a_case_hands_its_child_the_keyed_arrays_under_a_key(builds):
    case = Case("fit", dict(x_train=DataArray("noisy_blobs", "train", "x")), seed=4)
    with datasets.keyed(KEY):
        keyed = data_arrays(case, seed=4)["x_train"]
        assert np.array_equal(keyed, datasets.load("noisy_blobs", seed=4).x_train)
    assert not np.array_equal(keyed, data_arrays(case, seed=4)["x_train"])

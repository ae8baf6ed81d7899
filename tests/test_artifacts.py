"""Files a child left behind are read as hostile: no link followed, no pipe opened, no folder, device
or oversized file read. Unit tests on ``artifacts.read_untrusted`` and its callers (the grading
process' output and result reading, the measuring child's loading), then two attacks through a real
run child of exercise 02's cheap ``dense_param_count`` cases.

A confined child cannot make a link or a named pipe where seccomp is offered (``sandbox.confine``);
the grader's own defence is for where it is not, so the real children here run unconfined."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from autograder import exercises as registry
from autograder import sandbox
from autograder.errors import ArtifactMissing, ArtifactTooLarge, BadArtifact
from autograder.grading.runs import run_and_measure
from autograder.measure import loading
from autograder.sandbox import artifacts, confine

MiB = 1024 * 1024
SECRET = "the reference solution: return inputs * units + units"
LINK_REFUSED = "is a symbolic link, which the grader never follows"


def within(seconds: float, action):
    """What ``action()`` returns or raises, run in a thread that must finish within ``seconds``: a read
    that blocks (a named pipe opened for reading waits for a writer for ever) fails the test instead of
    hanging it."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the read blocked for more than {seconds} s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file the child may not read but the grader can: a solution, another student's result."""
    path = tmp_path / "solutions" / "secret.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"status": "error", "message": SECRET, "value": SECRET, "history": {"loss": [0.0]}}))
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


# ------------------------------------------------------------------------------ the helper itself


def test_an_honest_file_is_read_whole(run_dir):
    (run_dir / "value.json").write_bytes(b'{"value": 2080}')
    assert artifacts.read_untrusted(run_dir / "value.json", 100) == b'{"value": 2080}'
    assert artifacts.read_json(run_dir / "value.json") == {"value": 2080}


def test_a_link_to_a_file_is_refused_not_followed(run_dir, secret):
    (run_dir / "result.json").symlink_to(secret)
    with pytest.raises(BadArtifact, match=f"^result.json {LINK_REFUSED}$"):
        artifacts.read_untrusted(run_dir / "result.json", MiB)
    with pytest.raises(BadArtifact, match=LINK_REFUSED):  # another student's result, which is valid JSON
        artifacts.read_result(run_dir)


def test_a_relative_link_into_a_sibling_folder_is_refused(run_dir, secret):
    (run_dir / "stderr.txt").symlink_to(os.path.relpath(secret, run_dir))
    assert (run_dir / "stderr.txt").read_text()  # the link works: only the grader refuses it
    with pytest.raises(BadArtifact, match=LINK_REFUSED):
        artifacts.read_untrusted(run_dir / "stderr.txt", MiB)


def test_a_link_to_dev_zero_is_refused_at_once(run_dir):
    (run_dir / "value.json").symlink_to("/dev/zero")
    with pytest.raises(BadArtifact, match=LINK_REFUSED):
        within(2, lambda: artifacts.read_json(run_dir / "value.json"))
    with pytest.raises(BadArtifact, match=LINK_REFUSED):
        within(2, lambda: artifacts.read_untrusted_tail(run_dir / "value.json", MiB))


def test_a_named_pipe_is_refused_without_blocking(run_dir):
    fifo(run_dir / "result.json")
    with pytest.raises(BadArtifact, match="^result.json is not a regular file but a named pipe$"):
        within(2, lambda: artifacts.read_result(run_dir))
    with pytest.raises(BadArtifact, match="named pipe"):
        within(2, lambda: artifacts.read_untrusted_tail(run_dir / "result.json", MiB))


def test_a_folder_is_refused(run_dir):
    (run_dir / "value.json").mkdir()
    with pytest.raises(BadArtifact, match="^value.json is not a regular file but a folder$"):
        artifacts.read_untrusted(run_dir / "value.json", MiB)


def test_a_device_is_refused(tmp_path):
    with pytest.raises(BadArtifact, match="^zero is not a regular file but a device$"):
        within(2, lambda: artifacts.read_untrusted(Path("/dev/zero"), MiB))


def test_an_oversized_file_is_refused_before_it_is_read(run_dir):
    (run_dir / "value.json").write_bytes(b" " * (MiB + 1))
    with pytest.raises(ArtifactTooLarge, match="^value.json is larger than 1 MB$"):
        artifacts.read_untrusted(run_dir / "value.json", MiB)
    assert len(artifacts.read_untrusted(run_dir / "value.json", 2 * MiB)) == MiB + 1


def test_json_keeps_its_messages_for_missing_oversized_and_invalid_files(run_dir):
    with pytest.raises(ArtifactMissing, match="^result.json is missing$"):
        artifacts.read_json(run_dir / "result.json")
    with pytest.raises(ArtifactMissing, match="^result.json is missing$"):
        artifacts.read_json(run_dir / "gone" / "result.json")
    (run_dir / "value.json").write_text("{not json")
    with pytest.raises(BadArtifact, match="^value.json is not valid JSON: Expecting property name"):
        artifacts.read_json(run_dir / "value.json")
    (run_dir / "history.json").write_bytes(b" " * (artifacts.MAX_JSON_BYTES + 1))
    with pytest.raises(BadArtifact, match="^history.json is larger than 8 MB$"):
        artifacts.read_json(run_dir / "history.json")


def test_a_run_folder_replaced_by_a_link_is_refused(tmp_path, secret):
    """A child may write in its group's folder, so it may replace its own run folder by a link to a
    folder it cannot read: the grader follows neither the folder nor the file."""
    (tmp_path / "run").symlink_to(secret.parent)
    (secret.parent / "result.json").write_text(json.dumps({"status": "error", "message": SECRET}))
    with pytest.raises(BadArtifact, match=f"^the folder run that holds result.json {LINK_REFUSED}$"):
        artifacts.read_result(tmp_path / "run")


def test_the_tail_is_the_end_of_an_honest_file(run_dir):
    (run_dir / "stdout.txt").write_bytes(b"0123456789")
    assert artifacts.read_untrusted_tail(run_dir / "stdout.txt", 4) == (b"6789", 10)
    assert artifacts.read_untrusted_tail(run_dir / "stdout.txt", 40) == (b"0123456789", 10)


def test_a_copy_is_made_only_of_a_regular_file(tmp_path, run_dir, secret):
    (run_dir / "model.keras").write_bytes(b"PK model")
    artifacts.copy_untrusted(run_dir / "model.keras", tmp_path / "copy.keras", MiB)
    assert (tmp_path / "copy.keras").read_bytes() == b"PK model"
    (run_dir / "checkpoint.keras").symlink_to(secret)
    with pytest.raises(BadArtifact, match=LINK_REFUSED):
        artifacts.copy_untrusted(run_dir / "checkpoint.keras", tmp_path / "other.keras", MiB)
    assert not (tmp_path / "other.keras").exists()


# ---------------------------------------------------------------- the grading process' output reads


LIMITS = sandbox.Limits(output_chars=100)


def test_output_replaced_by_links_or_a_pipe_is_named_not_read(run_dir, secret):
    (run_dir / "stdout.txt").symlink_to(secret)
    fifo(run_dir / "stderr.txt")
    stdout, stderr = within(2, lambda: sandbox.read_output(run_dir, LIMITS))
    assert stdout == f"[stdout.txt {LINK_REFUSED}; not read]"
    assert stderr == "[stderr.txt is not a regular file but a named pipe; not read]"
    (run_dir / "stderr.txt").unlink()
    (run_dir / "stderr.txt").symlink_to("/dev/zero")
    assert within(2, lambda: sandbox.read_output(run_dir, LIMITS))[1] == f"[stderr.txt {LINK_REFUSED}; not read]"


def test_honest_output_reads_as_before(run_dir):
    assert sandbox.read_output(run_dir, LIMITS) == ("", "")  # nothing printed yet
    (run_dir / "stdout.txt").write_text("hello\n")
    (run_dir / "stderr.txt").write_text("x" * 150 + "end")
    stdout, stderr = sandbox.read_output(run_dir, LIMITS)
    assert stdout == "hello\n"
    assert stderr == "[... earlier output cut ...]\n" + "x" * 97 + "end"


# ------------------------------------------------------------------- the measuring child's loading


def test_loading_refuses_links_pipes_and_devices(run_dir, secret):
    import keras  # noqa: F401 - imported before the clock starts: the first import takes seconds

    (run_dir / "value.json").symlink_to(secret)
    (run_dir / "history.json").symlink_to("/dev/zero")
    fifo(run_dir / "model.keras")
    (run_dir / "dataset.json").write_text(json.dumps({"spec": [], "shapes": []}))
    (run_dir / "dataset.npz").symlink_to(secret)
    (run_dir / "checkpoint.keras").symlink_to(secret)
    with pytest.raises(BadArtifact, match=f"value.json {LINK_REFUSED}"):
        loading.load_value(run_dir)
    with pytest.raises(BadArtifact, match=f"history.json {LINK_REFUSED}"):
        within(2, lambda: loading.load_history(run_dir))
    with pytest.raises(BadArtifact, match="model.keras is not a regular file but a named pipe"):
        within(2, lambda: loading.load_model(run_dir))
    with pytest.raises(BadArtifact, match="model.keras is not a regular file but a named pipe"):
        within(2, lambda: loading.load_compile_config(run_dir))
    with pytest.raises(BadArtifact, match=f"dataset.npz {LINK_REFUSED}"):
        loading.load_dataset(run_dir)
    with pytest.raises(BadArtifact, match=f"checkpoint.keras {LINK_REFUSED}"):
        loading.load_model_file(run_dir, "checkpoint.keras")


def test_loading_keeps_its_messages_for_missing_files(run_dir):
    with pytest.raises(BadArtifact, match="^no model was handed back$"):
        loading.load_model(run_dir)
    assert loading.load_compile_config(run_dir) is None
    with pytest.raises(BadArtifact, match="^no checkpoint best.keras was saved in the working directory$"):
        loading.load_model_file(run_dir, "best.keras")
    with pytest.raises(BadArtifact, match="^value.json is missing$"):
        loading.load_value(run_dir)
    (run_dir / "dataset.json").write_text(json.dumps({"spec": [], "shapes": []}))
    with pytest.raises(BadArtifact, match="^the dataset's elements were not handed back$"):
        loading.load_dataset(run_dir)


def test_an_honest_model_and_dataset_load_from_private_copies(run_dir, tmp_path):
    import keras
    import numpy as np

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    model.save(run_dir / "model.keras")
    loaded = loading.load_model(run_dir)
    assert [w.tolist() for w in loaded.get_weights()] == [w.tolist() for w in model.get_weights()]
    assert loading.load_compile_config(run_dir)["loss"] == "mse"
    (run_dir / "model.keras").rename(run_dir / "best.keras")
    assert loading.load_model_file(run_dir, "best.keras").count_params() == model.count_params()
    np.savez(run_dir / "dataset.npz", epoch0_0=np.arange(4.0), epoch1_0=np.arange(4.0))
    (run_dir / "dataset.json").write_text(json.dumps({"structure": "0", "spec": [{"shape": [2], "dtype": "float64"}],
                                                      "shapes": [[[[2]], [[2]]], [[[2]], [[2]]]]}))
    dataset = loading.load_dataset(run_dir)
    assert [[e[0].tolist() for e in epoch] for epoch in dataset["epochs"]] == [[[0.0, 1.0], [2.0, 3.0]]] * 2


# --------------------------------------------------------------------------- through a real run child


EX02 = registry.get("ex02")
COUNTS = tuple(EX02.case(name) for name in ("count", "count_wide", "count_one"))


@pytest.fixture
def unconfined(monkeypatch):
    """Run children as on a kernel with neither Landlock nor seccomp: the grader alone must hold."""
    monkeypatch.setattr(confine, "for_submission", lambda folder: None)


def test_a_child_that_links_its_stderr_to_a_secret_gets_the_link_named(tmp_path, secret, unconfined):
    """The case's function replaces its output files, then ends the process: the grader, which shows the
    end of stderr when a case ends early, names the link and never reads through it, nor blocks."""
    source = tmp_path / "student" / EX02.filename
    source.parent.mkdir()
    source.write_text(
        "import os\n"
        "def dense_param_count(inputs, units):\n"
        "    os.remove('stderr.txt')\n"
        f"    os.symlink({str(secret)!r}, 'stderr.txt')\n"
        "    os.remove('stdout.txt')\n"
        "    os.mkfifo('stdout.txt')\n"
        "    os._exit(3)\n")
    ran = within(120, lambda: run_and_measure(EX02, source, COUNTS[:1], tmp_path / "work"))["count"]
    assert ran.failure == (f"dense_param_count() exited with code 3 before handing back a result; its last error "
                           f"output:\n[stderr.txt {LINK_REFUSED}; not read]")
    assert ran.stdout == "[stdout.txt is not a regular file but a named pipe; not read]"


def test_a_later_case_that_links_an_earlier_result_to_a_secret_gets_the_link_named(tmp_path, secret, unconfined):
    """The cases share a child, one after another: the second case's function replaces the first case's
    result.json (written when that case returned) by a link to another student's result."""
    source = tmp_path / "student" / EX02.filename
    source.parent.mkdir()
    source.write_text(
        "import os\n"
        "def dense_param_count(inputs, units):\n"
        "    earlier = os.path.join('..', 'count_wide', 'result.json')\n"
        "    if os.path.basename(os.getcwd()) == 'count_one':\n"
        "        os.remove(earlier)\n"
        f"        os.symlink({str(secret)!r}, earlier)\n"
        "    return inputs * units + units\n")
    ran = run_and_measure(EX02, source, COUNTS, tmp_path / "work")  # count_wide, then count_one, in one child
    assert ran["count_wide"].failure == (f"dense_param_count() handed back an unreadable result: result.json "
                                         f"{LINK_REFUSED}")
    assert ran["count_one"].failure is None and ran["count_one"].observations["value"] == {"value": 1 * 1 + 1}
    assert ran["count"].failure is None  # public: in a child of its own, out of the hidden cases' reach


# ------------------------------------------------------------------------------------ a folder's usage


def test_a_folders_usage_is_its_files_blocks_and_its_entries(tmp_path):
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "data.bin").write_bytes(os.urandom(300_000))
    (tmp_path / "empty.txt").write_text("")
    used, entries = artifacts.folder_usage(tmp_path, 100)
    assert entries == 3 and 300_000 <= used < 400_000


def test_a_folders_usage_follows_no_link_and_stops_counting_past_the_limit(tmp_path):
    (tmp_path / "everything").symlink_to("/")
    (tmp_path / "big").symlink_to("/usr/lib")
    assert artifacts.folder_usage(tmp_path, 100) == (0, 2)  # links take no blocks; neither is walked
    for index in range(50):
        (tmp_path / f"f{index}").write_text("")
    assert artifacts.folder_usage(tmp_path, 20)[1] == 21  # stopped at the first entry past the limit


def test_a_folder_nested_past_the_depth_limit_counts_as_past_the_entry_limit(tmp_path):
    deep = tmp_path
    for _ in range(artifacts.FOLDER_DEPTH + 2):
        deep = deep / "d"
    deep.mkdir(parents=True)
    assert artifacts.folder_usage(tmp_path, 1000)[1] == 1001
    assert artifacts.folder_usage(tmp_path / "missing", 1000) == (0, 0)

"""The grader's own evidence of training: callbacks travel as plain settings and are rebuilt only as
Keras' own replayable classes, writing only where the grader says."""

import json

from autograder import sandbox


def test_callbacks_travel_as_settings_and_are_rebuilt_only_as_keras_own(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:write_callback_round_trips", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=120))
    assert outcome.ok, outcome.describe() + outcome.stderr
    found = json.loads((tmp_path / "callbacks.json").read_text())
    settings = found["early_stopping"]
    assert settings["class_name"] == "EarlyStopping"
    assert settings["settings"]["patience"] == 4 and settings["settings"]["baseline"] == 0.3
    assert settings["settings"]["restore_best_weights"] is True
    assert found["rebuilt_equal"]
    path, used = found["checkpoint_path"]
    assert path == used == str(tmp_path / "replay.keras")  # never the student's ../../outside.keras
    assert "a LambdaCallback callback; the task asks for EarlyStopping or ModelCheckpoint" in found["lambda"]
    assert "returned a str; expected a Keras callback" in found["string"]

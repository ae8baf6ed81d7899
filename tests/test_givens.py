import json

from autograder import sandbox


def test_a_given_model_needs_no_new_variables_when_fit_starts(tmp_path):
    # A variable created while tf.function traces the first training step makes it trace the step
    # again; a given model arrives with its optimizer and metrics built, so fit traces it once.
    outcome = sandbox.run_isolated("sandbox_targets:write_variables_created_by_first_fit", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=120))
    assert outcome.ok, outcome.describe()
    created = json.loads((tmp_path / "created.json").read_text())
    optimizer_before, metrics_before = created["before"]
    assert optimizer_before > 2 * created["weights"] > 0  # Adam's two slots for every weight
    assert metrics_before > 0
    assert created["after"] == created["before"]

import json

from autograder import sandbox


def test_accuracy_is_predicts_to_the_bit_without_tracing_a_predict_function(tmp_path):
    # predict() traces a function and builds an input pipeline, over a second of a measuring child;
    # calling the model batch by batch must give exactly its numbers.
    outcome = sandbox.run_isolated("sandbox_targets:write_predictions_beside_predict", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=120))
    assert outcome.ok, outcome.describe() + outcome.stderr
    measured = json.loads((tmp_path / "predictions.json").read_text())
    assert measured["identical"]
    assert measured["accuracy"] == measured["accuracy_from_predict"] > 0
    assert not measured["traced_predict"]

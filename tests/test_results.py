"""The result model serializes to every target without losing or leaking anything."""

from autograder.results import CheckResult, ExerciseResult, GradingResult
from autograder.results.gradescope import to_gradescope_dict


def sample() -> GradingResult:
    checks = [
        CheckResult("ex06", "default.layer_types", "layer_types", "default", "layer types", 2.0, 2.0, True,
                    "3 layers as expected", "public"),
        CheckResult("ex06", "deeper.output_shapes", "output_shapes", "deeper", "output shapes", 0.0, 2.0, False,
                    "layer 2 Conv2D(16, 3x3): expected output (None, 10, 10, 16), got (None, 12, 12, 16)", "hidden"),
    ]
    missing = ExerciseResult("ex09", "Early stopping", "error", [
        CheckResult("ex09", "default.stopping", "stopping", "default", "early stopping", 0.0, 3.0, False,
                    "ex09_early_stopping.py was not found in the submission", "public")],
        "ex09_early_stopping.py was not found in the submission")
    return GradingResult("alice", [ExerciseResult("ex06", "CNN", "graded", checks), missing], "all")


def test_scores_add_up():
    result = sample()
    assert (result.score, result.possible) == (2.0, 7.0)
    assert result.exercise("ex06").score == 2.0 and not result.exercise("ex06").passed


def test_round_trip_through_a_dict():
    result = sample()
    again = GradingResult.from_dict(result.to_dict())
    assert again.to_dict() == result.to_dict()


def test_hidden_details_never_reach_the_student_formats():
    result = sample()
    gradescope = to_gradescope_dict(result)
    hidden = next(t for t in gradescope["tests"] if "deeper" in t["name"])
    assert "Conv2D" not in hidden["output"] and hidden["visibility"] == "after_published"
    assert "Conv2D(16" not in str(to_gradescope_dict(result))


def test_gradescope_fields_and_types():
    gradescope = to_gradescope_dict(sample())
    assert gradescope["score"] == 2.0
    for test in gradescope["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert test["status"] in ("passed", "failed")


def test_a_withheld_result_keeps_scores_and_public_details_and_drops_hidden_ones():
    graded = sample().exercise("ex06")
    graded.details = {"default": {"visibility": "public", "call": "build_cnn()"},
                      "deeper": {"visibility": "hidden", "call": "build_cnn(filters=16)"}}
    withheld = graded.withheld()
    assert (withheld.score, withheld.possible) == (graded.score, graded.possible)
    assert [c.message for c in withheld.checks] == ["3 layers as expected", "failed (hidden case: details are withheld)"]
    assert set(withheld.details) == {"default"}
    assert "Conv2D" in graded.checks[1].message and "deeper" in graded.details  # the original is unchanged



def test_the_environment_names_tensorflow_whichever_distribution_installed_it():
    """Linux x86-64 installs tensorflow-cpu, whose distribution is not called tensorflow."""
    from autograder.course import versions
    from autograder.results.model import environment

    found = environment()
    assert found["tensorflow"] == versions.installed("tensorflow") != "-"
    assert all(found[package] != "-" for package in versions.MEASURING)

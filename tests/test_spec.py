"""The exercise format refuses contradictions when an exercise is built, not when it is graded."""

import pytest

from autograder.spec import Case, Exercise, Function, LayerTypes, ValueEquals


def build(*checks, functions=(Function("build_model", "model"), Function("count", "value"))):
    return Exercise(number=99, slug="demo", title="Demo", concept="Dense", task="Build it.",
                    functions=functions,
                    cases=(Case("default", {}), Case("counted", {}, function="count"),
                           Case("other", {}, hidden=True)),
                    checks=checks)


def test_a_consistent_exercise_builds():
    exercise = build(LayerTypes(points=2), ValueEquals(points=1, function="count"),
                     LayerTypes(points=1, cases=("other",)))
    assert [check.id for check in exercise.checks_for(exercise.case("counted"))] == ["layer_types", "value"]


def test_a_check_naming_a_case_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match=r"LayerTypes names cases that do not exist: \['defualt'\]"):
        build(LayerTypes(cases=("defualt",)))


def test_a_check_naming_an_undeclared_function_is_refused():
    with pytest.raises(ValueError, match="names function 'build_modle', which the exercise does not declare"):
        build(LayerTypes(function="build_modle"))


def test_a_check_that_applies_to_no_case_is_refused():
    with pytest.raises(ValueError, match="applies to no case"):
        build(ValueEquals(cases=("default",), function="count"))


def test_a_case_calling_an_undeclared_function_is_refused():
    with pytest.raises(ValueError, match="calls an unknown function"):
        build(functions=(Function("build_model", "model"),))

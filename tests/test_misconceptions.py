"""Misconceptions: the kit's known wrong submissions, declared by each exercise next to its checks, name a
student's mistake when the failed checks match one ("looks like: ..."), in the student's feedback and the
class overview; students' bundles hold none of them. No TensorFlow here: results are built by hand."""

from __future__ import annotations

import types
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder.grading import misconceptions
from autograder.results import CheckResult, ExerciseResult, GradingResult, feedback, overview
from autograder.spec import ALL, PUBLIC_ONLY, Misconception, stubs

EX02 = registry.get("ex02")
BIAS, FLOAT = EX02.misconceptions[0], EX02.misconceptions[1]  # the same failed checks, told apart by message


def result_failing(exercise, failed: dict[str, str], status: str = "graded") -> ExerciseResult:
    """Every check of the exercise passes except ``failed`` (check id -> message)."""
    checks = [CheckResult(exercise.id, check_id, check_id.split(".")[1], check_id.split(".")[0], check_id,
                          0.0 if check_id in failed else 1.0, 1.0, check_id not in failed,
                          failed.get(check_id, ""), exercise.case(check_id.split(".")[0]).visibility)
              for check_id in exercise.check_ids()]
    return ExerciseResult(exercise.id, exercise.title, status, checks)


def as_declared(misconception: Misconception) -> dict[str, str]:
    return {check_id: f"... {misconception.says} ..." for check_id in misconception.fails}


def test_failed_checks_equal_to_a_misconception_name_it():
    assert BIAS.fails == FLOAT.fails and BIAS.says != FLOAT.says
    assert misconceptions.name(EX02, result_failing(EX02, as_declared(BIAS)), ALL) == BIAS.name
    assert misconceptions.name(EX02, result_failing(EX02, as_declared(FLOAT)), ALL) == FLOAT.name


def test_other_failed_checks_name_none():
    fewer = dict(list(as_declared(BIAS).items())[1:])
    more = {**as_declared(BIAS), "default.layer_config": BIAS.says}
    for failed in (fewer, more, {}):
        assert misconceptions.name(EX02, result_failing(EX02, failed), ALL) == ""
    # The same checks, but a message that is not the misconception's.
    other = {check_id: "expected 2,080, got 17" for check_id in BIAS.fails}
    assert misconceptions.name(EX02, result_failing(EX02, other), ALL) == ""


def test_only_grading_with_every_case_names_a_misconception():
    assert misconceptions.name(EX02, result_failing(EX02, as_declared(BIAS)), PUBLIC_ONLY) == ""


def test_code_that_did_not_run_is_named_only_by_the_message_it_fails_with():
    everything = Misconception("nothing runs", fails=EX02.check_ids())
    exercise = replace(EX02, misconceptions=(everything, replace(everything, name="refused", says="not recognized")))
    broken = result_failing(exercise, dict.fromkeys(exercise.check_ids(), "NotImplementedError"), status="error")
    assert misconceptions.name(exercise, broken, ALL) == ""
    refused = result_failing(exercise, dict.fromkeys(exercise.check_ids(), "Argument(s) not recognized"), "error")
    assert misconceptions.name(exercise, refused, ALL) == "refused"


def test_misconceptions_that_cannot_be_told_apart_are_both_named():
    twin = replace(BIAS, name="counted by hand")
    exercise = replace(EX02, misconceptions=(BIAS, twin))
    assert misconceptions.name(exercise, result_failing(exercise, as_declared(BIAS)), ALL) == \
        f"{BIAS.name} or counted by hand"


def test_an_exercise_refuses_a_misconception_of_checks_it_does_not_have():
    with pytest.raises(ValueError, match="must fail checks that exist"):
        replace(EX02, misconceptions=(Misconception("typo", fails=("default.layer_typo",)),))
    with pytest.raises(ValueError, match="names repeat"):
        replace(EX02, misconceptions=(BIAS, BIAS))


def test_every_exercise_declares_its_misconceptions_and_the_result_keeps_the_name():
    assert all(len(exercise.misconceptions) >= 3 for exercise in registry.all_exercises())
    named = replace(result_failing(EX02, as_declared(BIAS)), misconception=BIAS.name)
    assert ExerciseResult.from_dict(named.to_dict()).misconception == BIAS.name
    assert named.withheld().misconception == BIAS.name
    old = named.to_dict()
    del old["misconception"]
    assert ExerciseResult.from_dict(old).misconception == ""


def test_feedback_says_what_the_mistake_looks_like():
    named = replace(result_failing(EX02, as_declared(BIAS)), misconception=BIAS.name)
    page = feedback.render(GradingResult("ada", [named], "all"))
    assert "Looks like: <strong>bias left out of the count</strong>" in page
    plain = feedback.render(GradingResult("ada", [result_failing(EX02, as_declared(BIAS))], "all"))
    assert "Looks like" not in plain


def test_gradescope_and_the_terminal_name_the_mistake_too(capsys):
    from autograder.results import gradescope, terminal

    named = replace(result_failing(EX02, as_declared(BIAS)), misconception=BIAS.name)
    output = gradescope.to_gradescope_dict(GradingResult("ada", [named], "all"))["output"]
    assert output.endswith(f"\nex02 looks like: {BIAS.name}")
    assert "looks like" not in gradescope.to_gradescope_dict(
        GradingResult("ada", [result_failing(EX02, as_declared(BIAS))], "all"))["output"]
    terminal.print_exercise(named)
    assert f"looks like: {BIAS.name}" in capsys.readouterr().out


def test_overview_counts_the_students_of_each_misconception():
    def student(name, misconception):
        result = replace(result_failing(EX02, as_declared(BIAS)), misconception=misconception)
        return GradingResult(name, [result], "all")

    results = [student("ada", BIAS.name), student("bob", BIAS.name), student("cy", FLOAT.name), student("di", "")]
    ex02 = overview.summarize(results).exercises[0]
    assert ex02.misconceptions[:2] == ((BIAS.name, 2), (FLOAT.name, 1))
    assert {name for name, _ in ex02.misconceptions} == {m.name for m in EX02.misconceptions}
    assert all(count == 0 for _, count in ex02.misconceptions[2:])
    page = overview.render(results)
    assert "Known misconceptions" in page and f"<td>{BIAS.name}</td><td class=\"num\">2</td>" in page


@pytest.mark.parametrize("exercise", registry.all_exercises(), ids=lambda e: e.id)
def test_a_released_spec_holds_no_misconception(exercise):
    # What `tfgrade release` writes for each spec: the hidden regions stripped.
    text = stubs.strip_hidden((Path(registry.__file__).parent / exercise.filename).read_text())
    module = types.ModuleType(f"released_{exercise.id}")
    exec(compile(text, exercise.filename, "exec"), module.__dict__)
    assert module.EXERCISE.misconceptions == () and "Misconception(" not in text
    stub = (COURSE.assignments / exercise.filename).read_text()
    for misconception in exercise.misconceptions:
        # Short fragments such as "epochs=epochs, batch_size=32" occur in the task's own hints.
        leaked = [fragment for edit in misconception.edits for fragment in edit
                  if len(fragment) >= 32 and fragment in text and fragment not in stub]
        assert leaked == [], f"{exercise.id} {misconception.name}"

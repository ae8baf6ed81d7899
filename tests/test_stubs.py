import pytest
from helpers import COURSE

from autograder import exercises as registry
from autograder.spec import stubs

SOLUTION = '''import keras


def f(x):
    """Doc."""
    ### BEGIN SOLUTION
    y = x + 1
    return y
    ### END SOLUTION
'''


def test_solution_regions_become_not_implemented_at_their_indentation():
    stub = stubs.strip_solutions(SOLUTION)
    assert "y = x + 1" not in stub
    assert '    """Doc."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n' in stub


def test_hidden_regions_are_dropped():
    text = "a = (\n    1,\n    ### BEGIN HIDDEN TESTS\n    2,\n    ### END HIDDEN TESTS\n)\n"
    assert stubs.strip_hidden(text) == "a = (\n    1,\n)\n"


@pytest.mark.parametrize("text", ["### BEGIN SOLUTION\n", "### END SOLUTION\n",
                                  "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n"])
def test_unbalanced_markers_are_errors(text):
    with pytest.raises(stubs.MarkerError):
        stubs.strip_solutions(text)


def test_assignments_are_in_sync_with_their_sources():
    exercises = list(registry.all_exercises())
    assert stubs.out_of_sync(COURSE.assignments, COURSE.solutions, exercises) == []
    assert sorted(p.name for p in COURSE.assignments.glob("ex*.py")) == sorted(e.filename for e in exercises)


def test_a_stale_stub_is_detected(tmp_path):
    exercise = registry.get("ex02")
    (tmp_path / exercise.filename).write_text((COURSE.assignments / exercise.filename).read_text() + "# edited\n")
    assert stubs.out_of_sync(tmp_path, COURSE.solutions, [exercise]) == [exercise.filename]


def test_stub_header_carries_the_task_and_keras3_note():
    exercise = registry.get("ex06")
    stub = (COURSE.assignments / exercise.filename).read_text()
    assert stub.startswith(f'"""Exercise 06 - Conv2D: {exercise.title}')
    assert "Keras 3 note:" in stub and "tfgrade check 6" in stub
    assert not stubs.has_solution_code(stub)


def test_leak_detection_finds_regions_not_mentions():
    assert stubs.has_solution_code(SOLUTION)
    assert stubs.has_solution_code("x = (\n    ### BEGIN HIDDEN TESTS\n    1,\n)\n")
    assert not stubs.has_solution_code('MARKER = "### BEGIN SOLUTION"  # the kit naming its marker\n')

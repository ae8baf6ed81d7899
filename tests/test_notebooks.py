"""nbgrader notebooks from the same sources, and notebooks turned back into the file the grader runs.
Fast: nothing here trains or starts a kernel (tests/test_nbgrader.py runs the real nbgrader)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import traceback

import nbformat
import pytest
from helpers import COURSE, solution_text, stub_text
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

from autograder import exercises as registry
from autograder.grading import notebook_source
from autograder.grading.submissions import Submission, discover, find
from autograder.notebooks import build, kernel
from autograder.notebooks.feedback import WithholdHiddenTests
from autograder.results import CheckResult, ExerciseResult
from autograder.spec import HIDDEN, PUBLIC, stubs

EXERCISES = list(registry.all_exercises())


def notebook(exercise_id: str) -> nbformat.NotebookNode:
    return nbformat.reads(build.notebook_text(registry.get(exercise_id), solution_text(exercise_id)), 4)


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def grade_cells(nb) -> list:
    return [cell for cell in nb.cells if meta(cell).get("grade")]


def student_version(nb):
    """What nbgrader's generate_assignment gives students, by nbgrader's own preprocessors."""
    nb, _ = ClearSolutions().preprocess(nb, {})
    nb, _ = ClearHiddenTests().preprocess(nb, {})
    return nb


def code_text(cells) -> str:
    """Code cells joined, blank lines collapsed: what the cells say, whatever their spacing."""
    text = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    return "\n".join(line for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_notebook_has_valid_nbgrader_metadata(exercise):
    nb = notebook(exercise.id)
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)  # nbgrader's rules: unique grade ids, points on grade cells, ...
    for cell in nb.cells:
        assert ("points" in meta(cell)) == bool(meta(cell).get("grade")), cell.source
        assert re.fullmatch(r"[a-zA-Z0-9_\-]+", meta(cell).get("grade_id", "x"))


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_grade_cells_are_worth_every_check_once(exercise):
    cells = grade_cells(notebook(exercise.id))
    assert sum(meta(c)["points"] for c in cells) == exercise.possible_points()
    called = [re.search(r'check\("(ex\d\d)", "([^"]+)"\)', c.source).groups() for c in cells]
    expected = [(exercise.id, f"{case.name}.{check.id}")
                for case in exercise.cases for check in exercise.checks_for(case)]
    assert called == expected
    public = grade_cells(student_version(notebook(exercise.id)))
    public_points = sum(meta(c)["points"] for c in public if "check(" in c.source)
    assert public_points == exercise.possible_points(frozenset({PUBLIC}))


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_students_never_see_hidden_cases(exercise):
    released = nbformat.writes(student_version(notebook(exercise.id)))
    for case in exercise.cases_for(frozenset({HIDDEN})):
        assert f'"{case.name}.' not in released
        assert f"-{case.name}-" not in released  # grade ids of hidden cells are neutral
    assert "HIDDEN TESTS" not in released and "BEGIN SOLUTION" not in released


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_notebooks_are_in_sync_with_solutions_and_stubs(exercise):
    """One source: the notebook's code is the solution file, and what nbgrader releases is the stub."""
    nb = notebook(exercise.id)
    work = [c for c in nb.cells if not meta(c).get("grade") and notebook_source.KERNEL_MODULE not in c.source]
    assert code_text(work) == code_text([nbformat.v4.new_code_cell(solution_text(exercise.id))])
    released = [c for c in student_version(nb).cells if c.id in {w.id for w in work}]
    header = stubs.header(exercise)
    assert stub_text(exercise.id).startswith(header)
    assert code_text(released) == code_text([nbformat.v4.new_code_cell(stub_text(exercise.id)[len(header):])])


def test_test_cells_are_thin_calls_that_leave_no_value():
    for cell in grade_cells(notebook("ex02")):
        code = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
        assert code == [f"from {notebook_source.KERNEL_MODULE} import check", code[1]]
        assert re.fullmatch(r'check\("ex02", "[a-z_]+\.[a-z_]+"\)', code[1])
    assert kernel.check("ex02", "default.layer_types") is None  # outside a kernel: nothing to do


def test_check_messages_never_name_a_hidden_case():
    hidden = CheckResult("ex02", "wine.layer_types", "layer_types", "wine", "layer types", 0.0, 1.0, False,
                         "layer 2: expected Dense(24), got Dense(3)", HIDDEN)
    public = CheckResult("ex02", "default.layer_types", "layer_types", "default", "layer types", 0.0, 1.0, False,
                         "layer 2: expected Dense(64), got Dense(3)", PUBLIC)
    assert "wine" not in kernel.describe(hidden) and "Dense(24)" not in kernel.describe(hidden)
    assert kernel.describe(public) == ("ex02 case default, layer types (0/1): "
                                                "layer 2: expected Dense(64), got Dense(3)")
    failure = kernel.CheckFailed(kernel.describe(hidden))
    assert isinstance(failure, AssertionError)
    assert failure._render_traceback_() == [f"\x1b[0;31mCheckFailed\x1b[0m: {failure}"]  # no quoted source


def test_a_long_check_message_is_wrapped_whole_in_the_cell_and_the_feedback(monkeypatch):
    # nbgrader's feedback page cuts an output line off at the edge of its box.
    message = ("layer 2: expected Dense(64, activation='relu') with 2,080 parameters, got "
               "Conv2D(filters=32, kernel_size=(3, 3), padding='same') with 896 parameters; "
               "a_very_long_identifier_" + "x" * 120 + "\nthen a second line of the message, kept as a line")
    failed = CheckResult("ex02", "default.layer_types", "layer_types", "default", "layer types", 0.0, 1.0, False,
                         message, PUBLIC)
    shell = type("Shell", (), {"history_manager": type("History", (), {"input_hist_raw": ["", "x = 1"]})()})()
    monkeypatch.setattr(kernel, "_shell", lambda: shell)
    monkeypatch.setattr(kernel, "_result", lambda *args: ExerciseResult("ex02", "Dense", "graded", [failed]))
    with pytest.raises(kernel.CheckFailed) as raised:
        kernel.check("ex02", "default.layer_types")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(raised.value._render_traceback_()))
    cell = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS",
                                     metadata={"nbgrader": {"grade": True, "grade_id": "h", "points": 1,
                                                            "solution": False, "locked": True}})
    cell.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue=str(raised.value), traceback=[])]
    nb, _ = WithholdHiddenTests().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
    for text in (shown, "\n".join(nb.cells[0].outputs[0].traceback)):
        assert max(len(line) for line in text.splitlines()) <= kernel.LINE_WIDTH, text
        assert "".join(text.split()) == "".join(f"CheckFailed: {kernel.describe(failed)}".split())
        assert "\n    then a second line of the message, kept as a line" in text


def test_feedback_withholds_hidden_regions_and_errors_that_quote_them():
    cell = nbformat.v4.new_code_cell('# A hidden check\n### BEGIN HIDDEN TESTS\ncheck("ex02", "wine.value")\n'
                                     '### END HIDDEN TESTS',
                                     metadata={"nbgrader": {"grade": True, "grade_id": "h", "points": 1,
                                                            "solution": False, "locked": True}})
    cell.outputs = [nbformat.v4.new_output("error", ename="KeyError", evalue="'wine.value'",
                                           traceback=['check("ex02", "wine.value")']),
                    nbformat.v4.new_output("error", ename="CheckFailed", evalue="ex02 hidden case: failed",
                                           traceback=['check("ex02", "wine.value")', "CheckFailed: ..."])]
    nb, _ = WithholdHiddenTests().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
    assert "wine" not in json.dumps(nb)
    assert nb.cells[0].outputs[1].traceback == ["CheckFailed: ex02 hidden case: failed"]


# ------------------------------------------------------------------------------------------ conversion

def load(tmp_path, source: str):
    path = tmp_path / "ex01_converted.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"converted_{abs(hash(source))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


def test_cells_run_in_order_like_jupyter(tmp_path, capsys):
    cells = [("cell 1", "%matplotlib inline\nimport math\n!pip install nothing\nx = 2"),
             ("cell 2", "1 / 0"),  # a broken exploration cell stops only itself
             ("cell 3", 'def f():\n    """Doc with \'\'\' and \\\\ inside."""\n    return math.sqrt(x * 8)'),
             ("cell 4", "s = '''a'''\nt = \"\"\"b\"\"\"\ndef g():\n    return s + t")]
    module, _ = load(tmp_path, notebook_source.render_source("ex01_x.ipynb", cells))
    assert module.f() == 4.0 and module.g() == "ab"
    assert "ex01_x.ipynb cell 2: ZeroDivisionError" in capsys.readouterr().err


def test_tracebacks_quote_the_students_own_lines(tmp_path):
    cells = [("cell 1", "import os"), ("cell 2", "def broken(n):\n    total = n + 1\n    return total / 0")]
    module, path = load(tmp_path, notebook_source.render_source("ex01_x.ipynb", cells))
    with pytest.raises(ZeroDivisionError) as raised:
        module.broken(1)
    frame = traceback.extract_tb(raised.value.__traceback__)[-1]
    assert (frame.filename, frame.line) == (str(path), "return total / 0")


def test_the_kits_cells_are_left_out_and_unreadable_notebooks_fail_only_their_exercise(tmp_path):
    nb = notebook("ex02")
    kept = notebook_source.student_cells(json.loads(nbformat.writes(nb)))
    assert [source.splitlines()[0] for _, source in kept] == [
        "import keras", "def build_classifier(num_features, num_classes, units):",
        "def dense_param_count(inputs, units):"]
    for name, content, reason in [("ex02_dense.ipynb", b"{not json", "Expecting property name"),
                                  ("ex03_activation.ipynb", b'{"cells": "\xff\xfe"}', "not UTF-8"),
                                  ("ex04_adam.ipynb", b'{"worksheets": []}', "no list of cells")]:
        (tmp_path / name).write_bytes(content)
        source = notebook_source.exercise_source(tmp_path / name)
        with pytest.raises(ImportError, match=f"{name} could not be read as a notebook: .*{reason}"):
            exec(compile(source, name, "exec"), {})


def test_nbgrader_submissions_are_found_and_converted(tmp_path):
    for student in ("ann", "bo"):
        folder = tmp_path / "submitted" / student / "keras"
        folder.mkdir(parents=True)
        nbformat.write(notebook("ex02"), folder / "ex02_dense.ipynb")
        (folder / "timestamp.txt").write_text("2024-01-01 00:00:00 UTC")
    found = discover(tmp_path / "submitted")
    assert [s.name for s in found] == ["ann", "bo"]
    with found[0].folder() as folder:
        assert sorted(p.name for p in folder.iterdir()) == [notebook_source.ORIGIN, "ex02_dense.py"]
        assert "return inputs * units + units" in (folder / "ex02_dense.py").read_text()
    one = tmp_path / "submitted" / "ann" / "keras"
    assert discover(one) == [Submission("keras", one.resolve())]
    before = found[0].fingerprint()
    nb = notebook("ex02")
    nb.cells[4].source = nb.cells[4].source.replace("units + units", "units")
    nbformat.write(nb, one / "ex02_dense.ipynb")
    assert found[0].fingerprint() != before


def test_a_batch_of_notebooks_is_graded_on_its_assignments_exercises_only(tmp_path):
    # An nbgrader assignment holds a few exercises: grading all twenty would report the others as errors.
    ex02, ex06 = (registry.get(e).module_name + ".ipynb" for e in ("ex02", "ex06"))
    course = tmp_path / "course"
    for folder, names in [("submitted/ann/keras", [ex02, ex06]), ("submitted/bo/keras", [ex02]),
                          ("submitted/cy/keras", [])]:  # bo deleted ex06; cy submitted nothing
        (course / folder).mkdir(parents=True)
        for name in names:
            (course / folder / name).write_text("{}")
    assert find(course / "submitted").exercises() == ["ex02", "ex06"]  # what the students submitted
    (course / "submitted" / "ann" / "keras" / ex06).unlink()
    assert find(course / "submitted").exercises() == ["ex02"]
    (course / "release" / "keras").mkdir(parents=True)
    for name in (ex02, ex06, "notes.ipynb"):
        (course / "release" / "keras" / name).write_text("{}")
    assert find(course / "submitted").exercises() == ["ex02", "ex06"]  # what the assignment holds
    assert find(course / "submitted" / "bo" / "keras").exercises() == ["ex02", "ex06"]
    assert find(course / "submitted" / "bo").exercises() == ["ex02", "ex06"]
    (course / "submitted" / "dee").mkdir()
    (course / "submitted" / "dee" / "ex01_sequential.py").write_text("x = 1")
    assert find(course / "submitted").exercises() is None  # .py files: every exercise, as before
    (course / "submitted" / "dee" / "ex01_sequential.py").rename(course / "submitted" / "dee.zip")
    (course / "submitted" / "dee").rmdir()
    assert find(course / "submitted").exercises() is None  # an archive's content is unknown until extracted


def test_notebook_checks_module_never_imports_tensorflow_or_nbformat():
    # The test cells import it in the student's kernel: it must stay light (nbformat alone takes seconds).
    import subprocess

    code = ("import sys, autograder.notebook_checks; "
            "print(any(m in sys.modules for m in ('tensorflow', 'nbformat', 'keras')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=COURSE.root)
    assert done.stdout.strip() == "False", done.stderr


def test_a_missing_notebook_is_named_as_a_notebook_in_the_students_folder(tmp_path):
    from autograder.grading import grade
    from autograder.grading.submissions import Submission

    folder = tmp_path / "submitted" / "bo" / "keras"
    folder.mkdir(parents=True)
    nbformat.write(notebook("ex02"), folder / f"{registry.get('ex02').module_name}.ipynb")
    nbformat.write(notebook("ex06"), folder / "ex6_conv2d.ipynb")  # renamed by the student
    ex06 = registry.get("ex06")
    with Submission("bo", folder).folder() as converted:
        message = grade._refusal(ex06, converted / ex06.filename)
    assert message == (f"{ex06.module_name}.ipynb was not found in the submission (searched {folder}; "
                       f"found ex6_conv2d.ipynb, not {ex06.module_name}.ipynb)")

"""Files released before the package split import old module paths: they keep working."""

import importlib
import textwrap

from autograder.grading.notebook_source import student_cells
from autograder.notebooks import feedback, kernel
from autograder.sandbox import quiet

# What `tfgrade nbgrader init` wrote into nbgrader_config.py, and notebooks' cells called, before the split.
OLD_CONFIG = textwrap.dedent('''\
    from autograder import quiet
    from autograder.nbgrader_feedback import WithholdHiddenTests

    quiet.set_quiet_environment()
    preprocessors = [WithholdHiddenTests]
''')
OLD_TEST_CELL = 'from autograder.notebook_checks import check\ncheck("ex02", "default.layer_types")'


def test_an_old_nbgrader_config_still_loads():
    namespace: dict = {}
    exec(compile(OLD_CONFIG, "nbgrader_config.py", "exec"), namespace)  # as traitlets loads a config file
    assert namespace["preprocessors"] == [feedback.WithholdHiddenTests]
    assert namespace["quiet"].set_quiet_environment is quiet.set_quiet_environment


def test_an_old_notebook_imports_the_same_check():
    old = importlib.import_module("autograder.notebook_checks")
    assert (old.check, old.quiet_kernel, old.CheckFailed) == (kernel.check, kernel.quiet_kernel, kernel.CheckFailed)


def test_an_old_notebook_test_cell_is_the_kit_s_not_the_student_s():
    notebook = {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}},
                          {"cell_type": "code", "source": OLD_TEST_CELL, "metadata": {}}]}
    assert student_cells(notebook) == [("cell 1", "x = 1")]

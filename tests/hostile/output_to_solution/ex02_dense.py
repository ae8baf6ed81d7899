"""Replaces its run folder's stderr.txt by a link to the reference solution (which the child itself may
not read), and stdout.txt by a relative link to it through the folders above, then ends the process:
a grader that followed them would show the solution's last lines as this student's error output.
(Where seccomp is offered, the child may make no link: the function then fails with that refusal.)"""
import os

from autograder.course import Course

SOLUTION = Course.locate().solutions / "ex02_dense.py"


def _link_output_and_exit():
    # the current folder is this case's run folder
    for name, target in (("stderr.txt", SOLUTION), ("stdout.txt", os.path.relpath(SOLUTION))):
        os.symlink(target, f"{name}.new")
        os.replace(f"{name}.new", name)
    os._exit(3)


def build_classifier(num_features, num_classes, units):
    _link_output_and_exit()


def dense_param_count(inputs, units):
    _link_output_and_exit()

"""The hostile and broken submissions corpus: one source of truth for every test that grades it.

Each case is a student whose ``ex02_dense.py`` (``tests/hostile/<name>/``, or written by ``build``)
attacks the grader or is broken in one way. The expected outcome: the checks of the attacked
functions score zero with a message matching ``message``; every other check of ex02 and every other
student are graded in full. Cases that act on processes or the machine (``disrupts``) carry an
untouched reference copy of ex01 too, which must keep its full marks; the others cannot reach beyond
their own exercise's children, and leaving ex01 out keeps the corpus fast.

``zero`` names what scores zero: ``"all"`` of ex02, a function (``"build_classifier"``,
``"dense_param_count"``), a check kind (``"metric"``), or nothing (``()``: the attack must change
nothing). ``requires`` names the confinement a case needs (``autograder.sandbox.confine``): without it the
case would really harm the machine (a fork bomb as root) or the grader, so it is left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from helpers import COURSE, solution_text

from autograder.sandbox import process

CORPUS = Path(__file__).parent
EXERCISE_FILE = "ex02_dense.py"
OTHER_FILE = "ex01_sequential.py"  # the untouched exercise beside the attacked one
ALL = ("all",)


@dataclass(frozen=True)
class HostileCase:
    name: str
    message: str  # a regular expression every zeroed check's message matches
    zero: tuple[str, ...] = ALL
    requires: tuple[str, ...] = ()
    disrupts: bool = False  # acts on processes, the machine or the grader: ex01 goes beside it
    # Writes the student's folder when it cannot be stored in git; returns where the exercise files are.
    build: Callable[[Path], Path] | None = None

    def write(self, folder: Path) -> None:
        """The student's submission: the attacked file (or what ``build`` makes) and the reference ex01."""
        folder.mkdir(parents=True)
        files = folder
        if self.build:
            files = self.build(folder)
        else:
            (folder / EXERCISE_FILE).write_bytes((CORPUS / self.name / EXERCISE_FILE).read_bytes())
        if self.disrupts:
            (files / OTHER_FILE).write_text(solution_text("ex01"))

    def zeroes(self, function: str, kind: str) -> bool:
        return any(selector in ("all", function, kind) for selector in self.zero)


def _symlink_to_the_reference(folder: Path) -> Path:
    (folder / EXERCISE_FILE).symlink_to(COURSE.solutions / EXERCISE_FILE)
    (folder / "everything").symlink_to("/")
    return folder


def _huge_submission(folder: Path) -> Path:
    blob = "# " + "x" * 1022 + "\n"
    (folder / EXERCISE_FILE).write_text(solution_text("ex02") + blob * 2048)  # 2 MB
    junk = folder / "junk"
    junk.mkdir()
    for index in range(3000):
        (junk / f"file{index}.txt").write_text("junk")
    return folder


def _deep_tree(folder: Path) -> Path:
    """The work one folder down (as archives wrap it), beside a chain of 600 nested folders."""
    (folder / "wrapper").mkdir()
    (folder / "wrapper" / EXERCISE_FILE).write_text(solution_text("ex02"))
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(600):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    return folder / "wrapper"


PROCESSES = ("seccomp",)  # no new processes, no signals to others
FILES = ("landlock",)  # no writes outside the run folder, no reading the course's secrets

NONE = r"returned None; expected a keras Model|expected .+, got None"
TIMED_OUT = r"did not finish within \d+ s and was stopped|not run: an earlier case of this exercise timed out"
REFUSED = r"PermissionError: \[Errno 1\] Operation not permitted"
UNSAFE = r"the model could not be loaded safely: \w+Error: "
ERROR_OUTPUT = r"exited with code 3 before handing back a result; its last error output:\n"
LINK_REFUSED = r"is a symbolic link, which the grader never follows"

# A variable the forkserver (and so each child) keeps of the grader's environment, quoted as a list shows it.
_KEPT_NAME = "'(?:" + "|".join([*process.FORKSERVER_ENV_NAMES, *(prefix + r"\w*" for prefix in
                                                                 process.FORKSERVER_ENV_PREFIXES)]) + ")'"

CASES = (
    HostileCase("syntax_error", r"has a syntax error on line 6"),
    HostileCase("import_error", r"No module named 'tensorflow_addons'"),
    HostileCase("missing_function", r"defines no function dense_param_count\(\)", zero=("dense_param_count",)),
    HostileCase("wrong_signature", r"must accept the arguments \(num_features, num_classes, units\)",
                zero=("build_classifier",)),
    HostileCase("returns_none", NONE),
    HostileCase("returns_layer", r"returned a keras\.Dense"),
    HostileCase("returns_numpy_array", r"returned a numpy\.ndarray; expected a keras Model|got the list \[\[0\.0, 0\.0\], "),
    HostileCase("returns_string", r"returned a str; expected a keras Model|got the str 'a model with"),
    HostileCase("raises", r"RuntimeError: something went wrong in my code"),
    # Its Constant(1e38) kernels are also a configuration difference the layer-configuration check names.
    HostileCase("nan_loss", r"training diverged: the loss became nan in epoch 1|kernel_initializer expected "
                r"'glorot_uniform', got 'Constant\(value=1e\+38\)'", zero=("metric", "layer_config")),
    HostileCase("busy_loop", TIMED_OUT, disrupts=True),
    HostileCase("sleep_forever", TIMED_OUT, disrupts=True),
    HostileCase("memory_bomb", r"MemoryError", disrupts=True),
    HostileCase("shared_memory_bomb", REFUSED, requires=PROCESSES, disrupts=True),
    HostileCase("descriptor_bomb", r"OSError: \[Errno 24\] Too many open files", disrupts=True),
    HostileCase("fill_the_disk", r"wrote more than \d+ MiB or \d+ files into its folder and was stopped|"
                r"not run: an earlier case of this exercise filled its folder", disrupts=True),
    HostileCase("fork_bomb", REFUSED, requires=PROCESSES, disrupts=True),
    # Its share of the grader's user's signal queue is RLIMIT_SIGPENDING's 256 (of ~94,000); inotify is refused.
    HostileCase("user_quota_bomb", r"attack: ([0-9]{1,2}|1[0-9]{2}|2[0-4][0-9]|25[0-6]) timers, inotify refused",
                requires=PROCESSES, disrupts=True),
    # Only the names Python, TensorFlow and the kit read: no instructor's token, no CI's variables.
    HostileCase("read_environment", r"environment: \[(" + _KEPT_NAME + r")?(, (" + _KEPT_NAME + r"))*\]"),
    HostileCase("thread_bomb", r"can't start new thread", disrupts=True),
    HostileCase("output_flood", r"", zero=(), disrupts=True),
    HostileCase("sys_exit", r"called sys\.exit\(0\) instead of returning", disrupts=True),
    HostileCase("os_exit", r"ended without handing back a result", disrupts=True),
    HostileCase("kill_parent", REFUSED, requires=PROCESSES, disrupts=True),
    # Every signal refused (seccomp): the forkserver and the grading process where they are in view, and -1.
    HostileCase("kill_grader", r"attacks: \['PermissionError 1'(, 'PermissionError 1')*\]", requires=PROCESSES,
                disrupts=True),
    # Each attack's outcome is in the message: every one refused (no "done", no "sent").
    HostileCase("limit_the_grader", r"attacks: \['PermissionError'(, 'PermissionError')*\]", requires=PROCESSES,
                disrupts=True),
    HostileCase("sockets", r"attacks: \['PermissionError'\]", requires=PROCESSES, disrupts=True),
    HostileCase("change_metadata", r"attacks: \['PermissionError'\]", requires=PROCESSES, disrupts=True),
    HostileCase("fake_result", NONE, disrupts=True),
    HostileCase("monkeypatch_autograder", r"no model was handed back|value\.json is missing", disrupts=True),
    HostileCase("write_outside", r"PermissionError: .*Permission denied", requires=FILES, disrupts=True),
    # Refused by Landlock, or not there at all in the child's own root (a mount namespace).
    HostileCase("read_solutions", r"(PermissionError: \[Errno 13\] Permission denied|FileNotFoundError: \[Errno 2\] "
                r"No such file or directory): '.*solutions/ex02_dense\.py'", requires=FILES),
    # The child holds no spec: none in memory, the spec files unreadable, so the registry cannot load.
    HostileCase("read_hidden_cases", r"leaked: \['spec file: (PermissionError|FileNotFoundError)', "
                r"'registry: (PermissionError|ImportError|ModuleNotFoundError)'\]", requires=FILES),
    HostileCase("train_on_eval_data", r"", zero=()),
    # Its trained weights ride in Constant initializers of frozen layers, which clone_model would rebuild: the
    # metric is refused; the same initializers and the frozen layers are configuration and count differences.
    HostileCase("smuggled_initial_weights", r"layer 1 \(dense_\d+\): kernel_initializer Constant holds fixed "
                r"values; the grader trains from fresh initial weights|"
                r"_initializer expected '\w+', got .Constant\(value=|expected [\d,]+ trainable parameters, got 0",
                zero=("metric", "layer_config", "param_counts")),
    HostileCase("lambda_layer", UNSAFE, zero=("build_classifier",)),
    HostileCase("custom_layer", UNSAFE, zero=("build_classifier",)),
    HostileCase("crafted_keras_file", UNSAFE, zero=("build_classifier",)),
    HostileCase("huge_model", r"returned a model with 100,\d{3},\d{3} parameters, more than the 20,000,000 the grader",
                zero=("build_classifier",)),
    HostileCase("huge_submission", r"holds 2\.0 MB, more than the 1 MB an exercise file may hold",
                build=_huge_submission),
    HostileCase("deep_tree", r"", zero=(), build=_deep_tree, disrupts=True),
    HostileCase("not_utf8", r"is not UTF-8 text: save it with UTF-8 encoding"),
    HostileCase("symlink_escape", r"is a symbolic link, which the grader never follows",
                build=_symlink_to_the_reference),
    # The grader is not confined: what a child leaves in its run folder is read without following a link
    # or opening a pipe (``sandbox.artifacts.read_untrusted``), and named in place of its content. Where
    # seccomp is offered the child may make neither, and its function fails with that refusal instead;
    # test_hostile.py also runs these children unconfined, with the grader's message alone.
    HostileCase("output_fifo", rf"{REFUSED}|{ERROR_OUTPUT}\[stderr\.txt is not a regular file but a named pipe; "
                r"not read\]$", disrupts=True),
    HostileCase("output_dev_zero", rf"{REFUSED}|{ERROR_OUTPUT}\[stderr\.txt {LINK_REFUSED}; not read\]$",
                disrupts=True),
    HostileCase("output_to_solution", rf"{REFUSED}|{ERROR_OUTPUT}\[stderr\.txt {LINK_REFUSED}; not read\]$"),
    HostileCase("replace_handed_back", rf"{REFUSED}|(model\.keras|value\.json|stderr\.txt) {LINK_REFUSED}"),
)

# Markers a payload would create if its code ever ran in the grader's trusted process.
MARKER_ENV = "TFGRADE_HOSTILE_MARKERS"

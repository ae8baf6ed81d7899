from pathlib import Path

from autograder import exercises as registry
from autograder import sandbox
from autograder.commands import check
from autograder.results import CheckResult, ExerciseResult, GradingResult, terminal
from autograder.spec import HIDDEN, PUBLIC


def test_a_note_stays_on_one_line_and_shows_brackets_as_written():
    # A path in a status line must survive a pipe whole: a test (or a log reader) looks for it.
    # Longer than whatever terminal the tests run in (COLUMNS=200, a pseudo-terminal or a pipe).
    folders = "/a-rather-long-test-folder-name" * (terminal.status_console.width // 31 + 1)
    path = f"/tmp/pytest-of-someone/pytest-105/popen-gw0{folders}/runtime/tfgrade-0"
    text = f"{path} [shared] is not a private folder of this user; checking without the warm grader"
    with terminal.status_console.capture() as captured:
        terminal.note(text)
    assert len(text) > terminal.status_console.width
    assert captured.get() == text + "\n"


def test_a_message_naming_a_path_prints_it_whole_and_as_written():
    # `results in grades [final]/...`: rich would read "[final]" as a style tag and drop it, and break
    # a long path in two where stdout is a pipe.
    # Longer than whatever terminal the tests run in (COLUMNS=200, a pseudo-terminal or a pipe).
    path = "/srv/course/grades [final]/" + "spring-term-" * (terminal.console.width // 12 + 2)
    with terminal.console.capture() as captured:
        terminal.say(f"graded 3 in 12 s; results in {path}")
    assert len(path) > terminal.console.width
    assert captured.get() == f"graded 3 in 12 s; results in {path}\n"


def _graded(exercise_id: str, failed: str = "") -> ExerciseResult:
    """An exercise of ten checks, all passed but ``failed`` (a check title), which fails with a long message."""
    checks = []
    for case, visibility in (("default", PUBLIC), ("wide", HIDDEN)):
        for title in ("layer types", "output shapes", "parameter counts", "layer configuration", "held-out accuracy"):
            wrong = title == failed
            message = ("layer 3: expected Conv2D(32, 3x3) -> (None, 6, 6, 32), got Dense(64) -> [None, 64]; "
                       * 3 if wrong else f"{title} as expected")
            checks.append(CheckResult(exercise_id, f"{case}.{title}", title, case, title, 0.0 if wrong else 1.0,
                                      1.0, not wrong, message, visibility))
    return ExerciseResult(exercise_id, f"The exercise {exercise_id}", "graded", checks, seconds=2.5)


def test_the_default_report_of_a_whole_submission_is_one_line_an_exercise_and_shows_what_failed():
    result = GradingResult("solutions", [_graded(f"ex{n:02}", failed="output shapes" if n == 6 else "")
                                         for n in range(1, 21)], "all")
    with terminal.console.capture() as captured:
        for exercise in result.exercises:
            terminal.print_exercise(exercise, detail=False)
        terminal.print_total(result)
    lines = captured.get().splitlines()
    assert len(lines) <= 26, lines
    assert sum(line.startswith("ex") for line in lines) == 20
    failed = [line for line in lines if "✗" in line]
    # Each failed check named with its case and its message (brackets as written); a hidden case's message
    # withheld, as in the full report.
    assert len(failed) == 2 and "default: output shapes 0/1" in failed[0]
    assert "got Dense(64) -> [None, 64]" in failed[0]
    assert failed[1].endswith("wide (hidden): output shapes 0/1  failed (hidden case: details are withheld)")
    assert any(line.startswith("Total 198 / 200") for line in lines)
    with terminal.console.capture() as captured:
        terminal.print_exercise(result.exercises[5])  # every check on request (--detail)
    assert captured.get().count(": parameter counts") == 2


def test_a_check_shows_how_long_the_running_exercise_has_run_and_its_limit():
    exercise = registry.get("ex02")
    progress = check.Progress([exercise, registry.get("ex03")], Path("/somewhere/assignments"))
    assert progress.line() == "0/2 done · checking 2 exercise(s) in /somewhere/assignments"
    progress.started("ex02")
    progress.running["ex02"] -= 12.2  # started 12 s ago
    function = exercise.function_of(exercise.cases[0]).name
    limit = sandbox.case_limits(exercise.timeout_seconds).wall_seconds
    assert progress.line() == f"0/2 done · ex02: running {function}() 12 s / limit {limit:.0f} s"
    progress.measuring("ex03", True)
    assert "ex03: computing the reference's results 0 s" in progress.line()
    progress.finished("ex02")
    progress.told({"started": "ex03"})
    assert progress.line().startswith("1/2 done · ex03: running ")


def test_measuring_references_is_shown_one_line_each_with_the_count():
    exercises = [registry.get("ex06"), registry.get("ex07")]
    progress = terminal.MeasuringProgress(lambda: 2)
    with terminal.status_console.capture() as captured:
        for exercise in exercises:
            progress(exercise, True)
            progress(exercise, False)
    lines = captured.get().splitlines()
    assert lines[:2] == ["computing reference observations: ex06 conv2d (1/2)",
                         "computing reference observations: ex07 dropout (2/2)"]
    assert lines[2].startswith("reference observations computed in ") and len(lines) == 3


def test_the_status_lines_thread_never_takes_ctrl_c_from_the_main_thread():
    """A SIGINT taken by the refresh thread would leave the main thread blocked in its read of the warm
    grader's answer, for as long as the check runs."""
    import signal
    import threading

    from autograder.results import terminal as terminal_module

    masks = {}

    class RecordingLive:
        def start(self, refresh: bool) -> None:
            thread = threading.Thread(target=lambda: masks.update(thread=signal.pthread_sigmask(signal.SIG_BLOCK, [])))
            thread.start()
            thread.join()

    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    terminal_module._start(RecordingLive())
    assert signal.SIGINT in masks["thread"]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before and signal.SIGINT not in before

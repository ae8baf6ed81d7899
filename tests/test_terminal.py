from autograder.results import terminal


def test_a_note_stays_on_one_line_and_shows_brackets_as_written():
    # A path in a status line must survive a pipe whole: a test (or a log reader) looks for it.
    path = "/tmp/pytest-of-someone/pytest-105/popen-gw0/a-rather-long-test-folder-name/runtime/tfgrade-0"
    text = f"{path} [shared] is not a private folder of this user; checking without the warm grader"
    with terminal.status_console.capture() as captured:
        terminal.note(text)
    assert len(text) > terminal.status_console.width
    assert captured.get() == text + "\n"


def test_a_message_naming_a_path_prints_it_whole_and_as_written():
    # `results in grades [final]/...`: rich would read "[final]" as a style tag and drop it, and break
    # a long path in two where stdout is a pipe.
    path = "/srv/course/grades [final]/" + "spring-term-" * 8
    with terminal.console.capture() as captured:
        terminal.say(f"graded 3 in 12 s; results in {path}")
    assert len(path) > terminal.console.width
    assert captured.get() == f"graded 3 in 12 s; results in {path}\n"

from autograder.results import terminal


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

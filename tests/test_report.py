from autograder import report


def test_a_note_stays_on_one_line_and_shows_brackets_as_written():
    # A path in a status line must survive a pipe whole: a test (or a log reader) looks for it.
    path = "/tmp/pytest-of-someone/pytest-105/popen-gw0/a-rather-long-test-folder-name/runtime/tfgrade-0"
    text = f"{path} [shared] is not a private folder of this user; checking without the warm grader"
    with report.status_console.capture() as captured:
        report.note(text)
    assert len(text) > report.status_console.width
    assert captured.get() == text + "\n"

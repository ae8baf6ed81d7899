"""The child-process runner: time limits, crashes, memory limits, output capture, process groups."""

import os
import time

from autograder import sandbox

FAST = sandbox.Limits(wall_seconds=20)


def test_a_finished_child_reports_ok_and_its_output(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:write_ok", {}, workdir=tmp_path, limits=FAST)
    assert outcome.ok and outcome.exit_code == 0
    assert (tmp_path / "done.txt").read_text() == "ok"
    assert "hello from the child" in outcome.stdout


def test_a_hanging_child_is_killed_at_the_wall_clock_limit(tmp_path):
    started = time.monotonic()
    outcome = sandbox.run_isolated("sandbox_targets:sleep_forever", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=2))
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 15
    assert "did not finish within" in outcome.describe()


def test_with_steps_the_wall_clock_limit_applies_to_each_step(tmp_path):
    limits = sandbox.Limits(wall_seconds=2)

    def run(name, durations):
        workdir = tmp_path / name
        return workdir, sandbox.run_isolated("sandbox_targets:finish_steps", {"durations": durations},
                                             workdir=workdir, limits=limits,
                                             steps_done=lambda: len(list(workdir.glob("step*.done"))))

    _, steady = run("steady", [1.0, 1.0, 1.0])  # 3 s in all, each step within its 2 s
    assert steady.ok and steady.seconds > limits.wall_seconds
    workdir, stuck = run("stuck", [0.1, 600.0, 0.1])
    assert stuck.status == "timeout" and stuck.seconds < 15
    assert sorted(path.name for path in workdir.glob("step*.done")) == ["step0.done"]


def test_processes_the_child_started_die_with_it(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:spawn_sleeper_then_hang", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=3))
    assert outcome.status == "timeout"
    pid = int((tmp_path / "grandchild.pid").read_text())
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"grandchild {pid} survived")


def test_an_exiting_child_is_reported_as_crashed(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:exit_hard", {"code": 3}, workdir=tmp_path, limits=FAST)
    assert outcome.status == "crashed" and outcome.exit_code == 3
    assert outcome.describe() == "exited with code 3 before handing back a result"


SMALL_FOLDER = sandbox.Limits(wall_seconds=60, folder_bytes=8 * sandbox.MiB, folder_entries=200)


def test_a_child_that_fills_its_folder_past_its_limits_is_stopped(tmp_path):
    """Caught while it writes (it would write 64 MiB, then rest a minute) or, when it is done before the
    grader looks, by what it left: too many bytes, or too many files, either way."""
    for name, kwargs in (("bytes", {"count": 64, "kilobytes": 1024, "then_sleep": 60.0}),
                         ("files", {"count": 5000, "kilobytes": 0, "then_sleep": 60.0}),
                         ("bytes_then_done", {"count": 12, "kilobytes": 1024}),
                         ("files_then_done", {"count": 300, "kilobytes": 0})):
        started = time.monotonic()
        outcome = sandbox.run_isolated("sandbox_targets:write_files", kwargs, workdir=tmp_path / name,
                                       limits=SMALL_FOLDER)
        assert outcome.status == "overfull", (name, outcome)
        assert outcome.describe() == "wrote more than 8 MiB or 200 files into its folder and was stopped"
        assert time.monotonic() - started < 30, name  # not at the wall-clock limit


def test_files_a_child_deleted_but_holds_open_or_mapped_count_against_its_folder(tmp_path):
    for how in ("open", "mapped"):
        started = time.monotonic()
        outcome = sandbox.run_isolated("sandbox_targets:hold_deleted", {"megabytes": 12, "how": how},
                                       workdir=tmp_path / how, limits=SMALL_FOLDER)
        assert outcome.status == "overfull", (how, outcome)
        assert time.monotonic() - started < 30, how


def test_a_child_within_its_folder_limits_is_not_stopped(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:write_files", {"count": 6, "kilobytes": 1024},
                                   workdir=tmp_path, limits=SMALL_FOLDER)
    assert outcome.ok, outcome


def test_a_child_may_hold_a_bounded_number_of_descriptors(tmp_path):
    """Each is kernel memory its memory limit does not count, so not the container's million."""
    outcome = sandbox.run_isolated("sandbox_targets:write_open_files_limit", {}, workdir=tmp_path,
                                   limits=sandbox.Limits(wall_seconds=60, open_files=200))
    assert outcome.ok, outcome
    assert (tmp_path / "open_files.txt").read_text() == "200 200"


def test_address_space_beyond_its_limit_is_refused_inside_the_child(tmp_path):
    """Read-only mappings of files, which RLIMIT_DATA does not count (nor the page tables they need)."""
    limits = sandbox.Limits(wall_seconds=60, address_bytes=4 * sandbox.GiB)
    outcome = sandbox.run_isolated("sandbox_targets:map_repeatedly", {"gigabytes": 8}, workdir=tmp_path, limits=limits)
    assert outcome.ok, outcome
    assert not (tmp_path / "mapped.txt").exists()
    assert (tmp_path / "refused.txt").read_text().startswith("OSError after ")


def test_memory_beyond_the_limit_is_refused_inside_the_child(tmp_path):
    limits = sandbox.Limits(wall_seconds=30, memory_bytes=3 * sandbox.GiB)
    outcome = sandbox.run_isolated("sandbox_targets:allocate", {"gigabytes": 8}, workdir=tmp_path, limits=limits)
    assert outcome.ok
    assert (tmp_path / "memory_error.txt").exists() and not (tmp_path / "allocated.txt").exists()


def test_output_floods_are_cut_to_the_tail(tmp_path):
    outcome = sandbox.run_isolated("sandbox_targets:flood", {"lines": 20000}, workdir=tmp_path, limits=FAST)
    assert outcome.ok
    assert len(outcome.stdout) < FAST.output_chars + 100
    assert outcome.stdout.startswith("[... earlier output cut ...]") and "line 19999" in outcome.stdout


def test_children_start_with_tensorflow_and_the_kit_but_no_exercise_spec(tmp_path):
    # What a child would otherwise import itself, every time, makes children cheap; the specs hold the
    # hidden cases, so no child starts with one.
    import json

    outcome = sandbox.run_isolated("sandbox_targets:write_preloaded_modules", {}, workdir=tmp_path, limits=FAST)
    assert outcome.ok, outcome.describe()
    loaded = set(json.loads((tmp_path / "modules.json").read_text()))
    expected = {"tensorflow", "keras", "autograder.children.run", "autograder.children.measure",
                "autograder.measure.probes.pipeline", "autograder.spec.checks"}
    assert expected <= loaded, sorted(expected - loaded)
    assert not {name for name in loaded if name.startswith("autograder.exercises")}


def test_children_start_without_matplotlib_or_scikit_learn_and_can_still_import_them(tmp_path):
    # Keras would load both in the forkserver (a quarter of every start); a student may still use them.
    import json

    outcome = sandbox.run_isolated("sandbox_targets:write_hidden_library_state", {}, workdir=tmp_path, limits=FAST)
    assert outcome.ok, outcome.describe()
    assert json.loads((tmp_path / "libraries.json").read_text()) == {
        "matplotlib": {"started_with": False, "imports": True},
        "sklearn": {"started_with": False, "imports": True},
    }


def test_cancelled_children_end_at_once_and_children_run_again_once_allowed(tmp_path):
    """What Ctrl-C in `tfgrade check` (or a client leaving the warm grader) relies on."""
    import threading

    hangs = sandbox.Limits(wall_seconds=60)
    cancelling = threading.Timer(1.0, sandbox.cancel_children)
    cancelling.start()
    try:
        started = time.monotonic()
        running = sandbox.run_isolated("sandbox_targets:sleep_forever", {}, workdir=tmp_path / "a", limits=hangs)
        later = sandbox.run_isolated("sandbox_targets:sleep_forever", {}, workdir=tmp_path / "b", limits=hangs)
        assert time.monotonic() - started < 20, "a cancelled child ran on towards its 60 s limit"
        assert running.status == later.status == "crashed" and running.exit_code == later.exit_code == -9
    finally:
        cancelling.join()
        sandbox.allow_children()
    assert sandbox.run_isolated("sandbox_targets:write_ok", {}, workdir=tmp_path / "c", limits=FAST).ok


def test_a_child_holds_at_most_its_pending_signals_in_posix_timers(tmp_path):
    """The kernel counts queued signals per user, the grader's too for a child in a user namespace: each
    child's share of them is bounded, so no child takes the machine's signal queue from the grader's user."""
    from autograder.sandbox import confine

    limits = sandbox.Limits(wall_seconds=60, pending_signals=100)
    outcome = sandbox.run_isolated("sandbox_targets:create_timers", {"count": 5000}, workdir=tmp_path,
                                   limits=limits, confinement=confine.Confinement())
    assert outcome.ok, outcome
    assert 0 < int((tmp_path / "timers.txt").read_text()) <= 100


def test_a_limit_the_grader_holds_lower_already_is_kept_not_raised():
    """A container (or an administrator) may hold the grader's hard limits below the kit's: a child then
    keeps them, rather than failing to start at setrlimit."""
    import resource

    from autograder.sandbox import process

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            resource.setrlimit(resource.RLIMIT_SIGPENDING, (100, 100))
            process._lower(resource.RLIMIT_SIGPENDING, 256)
            os.write(write, repr(resource.getrlimit(resource.RLIMIT_SIGPENDING)).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        assert answer.read() == "(100, 100)"

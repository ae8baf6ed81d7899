"""``tfgrade daemon``: see or stop the warm graders that ``tfgrade check`` keeps running."""

from __future__ import annotations

import time

from autograder import daemon
from autograder.course import Course
from autograder.results import terminal


def main(*, action: str, all: bool = False) -> int:  # noqa: A002 - the flag's name
    if action == "stop":
        addresses = daemon.every_address() if all else [daemon.Address.for_course(Course.locate())]
        stopped = daemon.stop(addresses)
        terminal.say(f"stopped {len(stopped)} warm grader(s)" + (f": pid {', '.join(map(str, stopped))}"
                                                               if stopped else ""))
        return 0
    found = daemon.running()
    if not found:
        terminal.say("no warm grader is running; the next `tfgrade check` starts one")
    for state in found:
        age = time.time() - state["started"]
        terminal.say(f"pid {state['pid']}: {state['course']}, up {age:.0f} s, {state['served']} check(s) "
                   f"served, exits after {state['idle_limit']:.0f} s without a check")
    return 0

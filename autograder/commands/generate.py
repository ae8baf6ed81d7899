"""``tfgrade generate``: rewrite assignments/ from solutions/ and the exercise specs."""

from __future__ import annotations

from autograder import exercises as registry
from autograder.commands.common import instructor_reference
from autograder.results import terminal
from autograder.spec import stubs


def main(*, check: bool = False) -> int:
    course = instructor_reference("generate").course
    exercises = list(registry.all_exercises())
    if check:
        stale = stubs.out_of_sync(course.assignments, course.solutions, exercises)
        for name in stale:
            terminal.console.print(f"[red]out of date:[/red] assignments/{name}")
        if not stale:
            terminal.say(f"assignments/ is in sync ({len(exercises)} exercises)")
        return 1 if stale else 0
    written = stubs.write_stubs(course.assignments, course.solutions, exercises)
    terminal.say(f"wrote {len(written)} file(s): {', '.join(written) or 'nothing changed'}")
    return 0

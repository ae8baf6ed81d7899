"""``tfgrade grade``: an instructor grades one submission with every check, hidden cases included."""

from __future__ import annotations

from pathlib import Path

from autograder import artifacts, report, sandbox
from autograder.commands.common import instructor_reference, print_json, select
from autograder.grading import ALL, grade_submission


def main(*, submission: Path, out: Path, exercises: list[str] | None = None, json: bool = False) -> int:
    from autograder.commands import UsageError

    if not submission.is_dir():
        raise UsageError(f"{submission} is not a folder")
    chosen = select(exercises)
    ref = instructor_reference("grade")
    sandbox.warm_up()
    with report.working(f"grading {submission.name}", enabled=not json):
        result = grade_submission(submission.resolve(), chosen, ALL, ref,
                                  on_exercise=None if json else report.print_exercise)
    target = out / submission.resolve().name
    target.mkdir(parents=True, exist_ok=True)
    artifacts.write_json(target / "result.json", result.to_dict())
    if json:
        print_json(result.to_dict())
    else:
        report.print_total(result)
        report.console.print(f"wrote {target / 'result.json'}")
    return 0


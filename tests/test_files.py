"""Gradebook formats: CSV columns, JUnit XML structure, Gradescope files per student."""

import csv
import io
import json
import xml.etree.ElementTree as ET

from test_results import sample

from autograder import exercises as registry
from autograder.results import files


def test_gradebook_has_a_row_per_student_and_a_column_per_exercise():
    exercises = [registry.get("ex06"), registry.get("ex09")]
    rows = list(csv.DictReader(io.StringIO(files.gradebook_csv([sample()], exercises))))
    assert rows == [{"student": "alice", "ex06": "2", "ex09": "0", "total": "2", "possible": "7",
                     "status": "errors in ex09"}]


def test_junit_lists_every_check_and_its_failures():
    root = ET.fromstring(files.junit_xml([sample()]))
    suite = root.find("testsuite")
    assert suite.get("name") == "alice" and suite.get("tests") == "3" and suite.get("failures") == "2"
    failures = [case.find("failure") for case in suite.findall("testcase") if case.find("failure") is not None]
    assert "expected output (None, 10, 10, 16)" in failures[0].text


def test_per_student_files_are_written_and_read_back(tmp_path):
    result = sample()
    files.write_submission(result, tmp_path / "alice")
    assert files.read_submission(tmp_path / "alice").to_dict() == result.to_dict()
    gradescope = json.loads((tmp_path / "alice" / "results.json").read_text())
    assert gradescope["score"] == 2.0 and len(gradescope["tests"]) == 3

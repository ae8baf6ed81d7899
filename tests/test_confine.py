"""Confinement: the syscall tables, what the machine offers, and that a grade says so."""

import re
from pathlib import Path

import pytest
from helpers import stub_text

from autograder.commands import grade as grade_command
from autograder.results import environment
from autograder.sandbox import confine

HEADERS = {"x86_64": Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
           "aarch64": Path("/usr/include/asm-generic/unistd.h")}


@pytest.mark.parametrize("arch", sorted(confine.ARCHES))
def test_syscall_numbers_are_the_kernel_headers(arch):
    header = HEADERS[arch]
    if not header.is_file():
        pytest.skip(f"no kernel headers for {arch} here")
    defined = {name: int(number) for name, number in
               re.findall(r"#define __NR(?:3264)?_(\w+)\s+(\d+)\b", header.read_text())}
    calls = confine.ARCHES[arch][1]
    wrong = {name: (number, defined[name]) for name, number in calls.items() if name in defined
             and defined[name] != number}
    assert wrong == {}
    # Names the headers lack are newer than them (fchmodat2) or absent on the architecture.
    assert set(calls) - set(defined) <= {"fchmodat2"}


def test_every_refused_or_restricted_syscall_has_a_number_somewhere():
    named = set(confine.DENIED) | set(confine.OWN_PID_FIRST) | set(confine.OWN_PID_SECOND)
    known = {name for _, calls in confine.ARCHES.values() for name in calls}
    assert named - known == set()


def test_the_filter_fits_within_bpf_limits():
    program = confine._filter(*confine.ARCHES["x86_64"], pid=1234)
    assert len(program) < 4096 and all(jt < 256 and jf < 256 for _, jt, jf, _ in program)


def test_a_grade_records_what_confined_the_students_code():
    assert environment()["protections"] == (", ".join(confine.available()) or "none")
    assert set(confine.available()) <= set(confine.PROTECTIONS)


def test_grading_warns_when_a_protection_is_missing(tmp_path, monkeypatch, capsys):
    student = tmp_path / "ada"
    student.mkdir()
    (student / "ex01_sequential.py").write_text(stub_text("ex01"))
    monkeypatch.setattr(confine, "available", lambda: ["landlock files"])
    assert grade_command.main(submission=student, out=tmp_path / "out", exercises=["1"]) == 0
    err = capsys.readouterr().err
    assert "cannot confine students' code with namespaces, landlock tcp, landlock signals, seccomp" in err

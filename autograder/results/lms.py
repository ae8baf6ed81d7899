"""Gradebooks that learning management systems import: Canvas' and Moodle's grade CSVs, a row per
student of the course roster that has a submission, with the batch's total as one grade column.

The roster is a CSV the LMS exports (Canvas' gradebook export, Moodle's grade export or participants
list): its columns are recognised by their usual names (``COLUMNS``), and each submission is matched to
one roster row by ``match`` (see there for the rule). What cannot be matched either way is reported,
never guessed: a grade written to the wrong student is worse than one left out. The formats, and where
they are documented, are in docs/analytics.md.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import UsageError
from autograder.results import GradingResult
from autograder.results.files import _text_cell

# Roster columns by what they hold, each under the names Canvas and Moodle export it with (compared
# ignoring case, spaces and underscores).
COLUMNS = {
    "name": ("student", "student name", "name", "full name"),
    "first": ("first name", "firstname", "given name"),
    "last": ("last name", "lastname", "surname", "family name"),
    "canvas_id": ("id", "canvas user id"),
    "sis_user_id": ("sis user id", "student id", "student number"),
    "login": ("sis login id", "login id", "login", "username", "user name"),
    "email": ("email", "email address", "e-mail", "e-mail address"),
    "id_number": ("id number", "idnumber"),
    "section": ("section", "sections"),
}
# Canvas' export puts these rows under its header; they are not students.
NOT_STUDENTS = {"points possible", "manual posting", "test student", "student, test"}
CANVAS_IDS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_KEYS = ("canvas_id", "sis_user_id", "login")  # what Canvas' import matches a row on
TITLES = {"canvas_id": "ID", "sis_user_id": "SIS User ID", "login": "SIS Login ID or username",
          "email": "e-mail address", "id_number": "ID number"}
MOODLE_IDS = (("email", "Email address"), ("id_number", "ID number"), ("login", "Username"))


@dataclass(frozen=True)
class RosterEntry:
    row: int  # the roster's row number as a spreadsheet shows it (the header is row 1), for messages
    name: str = ""
    first: str = ""
    last: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    login: str = ""
    email: str = ""
    id_number: str = ""
    section: str = ""

    @property
    def identifiers(self) -> set[str]:
        """What a submission may be named after, beside the name: login, e-mail or its local part, IDs."""
        values = {self.login, self.email, self.email.partition("@")[0] if "@" in self.email else "",
                  self.sis_user_id, self.id_number, self.canvas_id}
        return {_fold(value) for value in values if value.strip()}

    @property
    def names(self) -> set[str]:
        """The name in the orders a folder may spell it: "Lovelace, Ada" is also "Ada Lovelace"."""
        forms = {self.name}
        if "," in self.name:
            last, _, first = self.name.partition(",")
            forms.add(f"{first} {last}")
        if self.first or self.last:
            forms |= {f"{self.first} {self.last}", f"{self.last} {self.first}"}
        return {_name_key(form) for form in forms if _name_key(form)}

    @property
    def label(self) -> str:
        shown = self.name or f"{self.first} {self.last}".strip() or self.login or self.email or self.sis_user_id
        return f"{shown} (roster row {self.row})"

    @property
    def display_name(self) -> str:
        return self.name or ", ".join(part for part in (self.last, self.first) if part)


@dataclass
class Matching:
    matched: list[tuple[GradingResult, RosterEntry]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # submissions no roster row matches
    ambiguous: list[str] = field(default_factory=list)  # submissions, each with why
    missing: list[RosterEntry] = field(default_factory=list)  # roster students without a submission

    def problems(self) -> list[str]:
        """What an instructor must resolve by hand, one line each."""
        lines = [f"no roster row matches the submission {name!r}" for name in self.unmatched]
        lines += self.ambiguous
        lines += [f"no submission for {entry.label}" for entry in self.missing]
        return lines


def read_roster(path: Path) -> list[RosterEntry]:
    """The roster's students; a UTF-8 file with or without Excel's byte order mark."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the roster {path}: {exc}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise UsageError(f"the roster {path} is empty")
    columns = _columns(rows[0])
    if not {"name", "first", "last", "canvas_id", "sis_user_id", "login", "email", "id_number"} & set(columns):
        raise UsageError(f"the roster {path} has no column naming students (such as Student, SIS Login ID, "
                         f"Username, Email address); its columns: {', '.join(rows[0])}")
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: row[index].strip() for key, index in columns.items() if index < len(row)}
        entry = RosterEntry(number, **values)
        if any(row) and _fold(entry.display_name) not in NOT_STUDENTS:
            entries.append(entry)
    return entries


def match(results: list[GradingResult], roster: list[RosterEntry]) -> Matching:
    """Each submission to one roster row. A submission's name (its ``result.json``'s, which is the folder
    or archive name it was graded from) is compared, ignoring case, first with every row's identifiers
    (SIS Login ID or username, e-mail address or the part before its @, SIS User ID, ID number, Canvas
    ID); only when none matches, with every row's name, ignoring punctuation and in either order
    ("ada_lovelace" is "Lovelace, Ada"). Two rows matching, or two submissions matching one row, is
    reported rather than decided."""
    outcome = Matching()
    claims: dict[int, list[GradingResult]] = {}
    keyed = [(entry, entry.identifiers, entry.names) for entry in roster]
    for result in sorted(results, key=lambda r: r.submission):
        key, name = _fold(result.submission), _name_key(result.submission)
        found = ([e for e, identifiers, _ in keyed if key in identifiers]
                 or [e for e, _, names in keyed if name and name in names])
        if not found:
            outcome.unmatched.append(result.submission)
        elif len(found) > 1:
            rows = "; ".join(entry.label for entry in found)
            outcome.ambiguous.append(f"the submission {result.submission!r} matches {len(found)} roster rows: {rows}")
        else:
            claims.setdefault(found[0].row, []).append(result)
    by_row = {entry.row: entry for entry in roster}
    for row, claimants in claims.items():
        if len(claimants) > 1:
            names = ", ".join(repr(r.submission) for r in claimants)
            outcome.ambiguous.append(f"the submissions {names} all match {by_row[row].label}")
        else:
            outcome.matched.append((claimants[0], by_row[row]))
    outcome.missing = [entry for entry in roster if entry.row not in claims]
    outcome.matched.sort(key=lambda pair: pair[1].row)
    return outcome


def canvas_csv(matching: Matching, assignment: str) -> str:
    """Canvas' gradebook layout: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment, whose
    "Points Possible" row gives a new assignment its points."""
    possible = max((result.possible for result, _ in matching.matched), default=0.0)
    rows = [[*CANVAS_IDS, assignment], ["Points Possible", "", "", "", "", f"{possible:g}"]]
    rows += [[entry.display_name, entry.canvas_id, entry.sis_user_id, entry.login, entry.section, f"{result.score:g}"]
             for result, entry in matching.matched]
    return _csv(rows)


def moodle_csv(matching: Matching, keys: tuple[str, ...], assignment: str) -> str:
    """A column per identifier ``keys`` names (see ``moodle_keys``), then the grade item."""
    titles = dict(MOODLE_IDS)
    rows = [[titles[key] for key in keys] + [assignment]]
    rows += [[getattr(entry, key) for key in keys] + [f"{result.score:g}"] for result, entry in matching.matched]
    return _csv(rows)


def moodle_keys(roster: list[RosterEntry]) -> tuple[str, ...]:
    """The identifiers the roster has among those Moodle's import maps a column to (e-mail address, ID
    number, username): all are written, and the instructor picks one when importing."""
    keys = tuple(key for key, _ in MOODLE_IDS if any(getattr(entry, key) for entry in roster))
    if not keys:
        raise UsageError("Moodle's import identifies students by e-mail address, ID number or username, and "
                         "the roster has none of them")
    return keys


def unplaceable(matching: Matching, keys: tuple[str, ...]) -> list[str]:
    """Matched students the LMS could not place, their roster row lacking every identifier it matches on."""
    return [f"{entry.label} matches the submission {result.submission!r} but has no "
            f"{' or '.join(TITLES[key] for key in keys)} in the roster for the LMS to place the grade by"
            for result, entry in matching.matched if not any(getattr(entry, key) for key in keys)]


def check_canvas_roster(roster: list[RosterEntry]) -> None:
    """Canvas matches an imported row by its ID, SIS User ID or SIS Login ID, so the roster needs one."""
    if not any(getattr(entry, key) for entry in roster for key in CANVAS_KEYS):
        raise UsageError("Canvas identifies students by ID, SIS User ID or SIS Login ID, and the roster has none of "
                         "them: use the CSV of Canvas' own gradebook export (Grades > Export) as the roster")


# ------------------------------------------------------------------------------------------ internals


def _columns(header: list[str]) -> dict[str, int]:
    """Which roster column holds what, by header; the first column of each kind wins."""
    names = {_header_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = names.get(_header_key(title))
        if key and key not in columns:
            columns[key] = index
    return columns


def _header_key(title: str) -> str:
    return re.sub(r"[\s_]+", " ", title.replace("\ufeff", "")).strip().casefold()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _name_key(text: str) -> str:
    """A name with case, accents' composition, punctuation and spacing set aside: "Ada_Lovelace" is "ada lovelace"."""
    return " ".join(re.split(r"[\W_]+", _fold(text))).strip()


def _csv(rows: list[list[str]]) -> str:
    """RFC 4180, a text cell a spreadsheet would run as a formula escaped as grades.csv escapes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[_text_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue()


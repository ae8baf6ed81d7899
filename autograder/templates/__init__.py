"""The files commands ship, kept as files rather than Python strings: the feedback page, Gradescope's
entry points, the nbgrader configuration and the student bundle's README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FOLDER = Path(__file__).parent


def text(name: str) -> str:
    """A template shipped as it is (``gradescope/setup.sh``)."""
    return (FOLDER / name).read_text()


def render(name: str, **values: Any) -> str:
    """A jinja2 template filled in; not HTML, so nothing is escaped (the feedback page escapes its own)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(loader=FileSystemLoader(FOLDER), undefined=StrictUndefined, keep_trailing_newline=True)
    return environment.get_template(name).render(**values)

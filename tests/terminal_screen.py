"""A command run at a pseudo-terminal of a known size, and what that terminal's screen then shows.

``screen`` replays the output as a terminal would (carriage returns, line feeds, wrapping at the width,
cursor up, erase in line): the lines it returns are what a user scrolls back through afterwards, so a
status line that was not cleared is among them."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from typing import Callable

COLUMNS, ROWS = 80, 24
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"  # rich's "dots" frames: a line holding one is a status line left behind
# An interactive shell starts each command with Ctrl-C and Ctrl-\ at their defaults, whatever it inherited;
# a test run started in the background (an asynchronous list: both ignored, inherited through exec) must
# not hand that on to the command, which would then never see the Ctrl-C a test sends it.
_AS_A_SHELL_STARTS_IT = ("import os, signal, sys\n"
                         "for number in (signal.SIGINT, signal.SIGQUIT):\n"
                         "    signal.signal(number, signal.SIG_DFL)\n"
                         "os.execvp(sys.argv[1], sys.argv[1:])")
_ESCAPE = re.compile(r"\x1b\[([?0-9;]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def run(argv: list[str], env: dict[str, str], cwd: str | None = None, timeout: float = 600,
        on_output: Callable[[str, subprocess.Popen], None] | None = None) -> tuple[int, str]:
    """Run ``argv`` with a terminal of ``COLUMNS`` x ``ROWS`` as its stdin, stdout and stderr; its exit code
    and all it wrote. ``on_output(text so far, process)`` is called as output arrives and every 0.2 s."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {key: value for key, value in env.items() if key not in ("COLUMNS", "LINES")}  # the size is the pty's
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen([sys.executable, "-c", _AS_A_SHELL_STARTS_IT, *argv], stdin=slave, stdout=slave,
                               stderr=slave, env=env, cwd=cwd, start_new_session=True)
    os.close(slave)
    data = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([master], [], [], 0.2)
            if readable:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every process holding the terminal has closed it
                    break
                if not chunk:
                    break
                data += chunk
            elif process.poll() is not None:
                break
            if on_output is not None:
                on_output(data.decode("utf-8", errors="replace"), process)
        else:
            raise AssertionError(f"{argv} did not finish within {timeout} s")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(master)
    return process.returncode, data.decode("utf-8", errors="replace")


def screen(text: str, columns: int = COLUMNS) -> list[str]:
    """Every line the terminal shows after ``text``, the ones scrolled off the top included."""
    lines: list[list[str]] = [[]]
    row = col = 0
    wrap = False  # the cursor sits past the last column: the next character starts a new line

    def at(row: int) -> list[str]:
        while len(lines) <= row:
            lines.append([])
        return lines[row]

    position = 0
    while position < len(text):
        escape = _ESCAPE.match(text, position)
        if escape:
            position = escape.end()
            argument, command = escape.group(1) or "", escape.group(2)
            count = int(argument) if argument.isdigit() else None
            if command == "A":
                row, wrap = max(0, row - (count or 1)), False
            elif command == "B":
                row, wrap = row + (count or 1), False
            elif command == "G":
                col, wrap = (count or 1) - 1, False
            elif command == "K":
                line = at(row)
                if count == 2:
                    line.clear()
                elif count == 1:
                    line[:col] = [" "] * min(col, len(line))
                else:
                    del line[col:]
            continue
        char = text[position]
        position += 1
        if char == "\r":
            col, wrap = 0, False
        elif char == "\n":
            row, col, wrap = row + 1, 0, False
        elif char >= " ":
            if wrap:
                row, col, wrap = row + 1, 0, False
            line = at(row)
            line.extend(" " * (col - len(line)))
            line[col:col + 1] = [char]
            col += 1
            if col >= columns:
                col, wrap = columns - 1, True
        at(row)
    return ["".join(line).rstrip() for line in lines]


def status_lines(lines: list[str]) -> list[str]:
    """The lines of ``screen`` that a status line left behind."""
    return [line for line in lines if any(frame in line for frame in SPINNER)]

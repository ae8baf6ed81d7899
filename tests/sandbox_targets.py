"""Functions the sandbox tests run in child processes (importable there through pytest's pythonpath)."""

import os
import subprocess
import sys
import time
from pathlib import Path


def write_ok() -> None:
    print("hello from the child")
    Path("done.txt").write_text("ok")


def sleep_forever() -> None:
    while True:
        time.sleep(1)


def exit_hard(code: int) -> None:
    os._exit(code)


def allocate(gigabytes: float) -> None:
    try:
        block = bytearray(int(gigabytes * 1024**3))
        Path("allocated.txt").write_text(str(len(block)))
    except MemoryError:
        Path("memory_error.txt").write_text("MemoryError")


def spawn_sleeper_then_hang() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path("grandchild.pid").write_text(str(child.pid))
    time.sleep(600)


def flood(lines: int) -> None:
    for i in range(lines):
        print(f"line {i} " + "x" * 100)
        print(f"err {i}", file=sys.stderr)

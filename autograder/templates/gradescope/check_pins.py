#!/usr/bin/env python3
"""Whether this Python environment holds the autograder's requirements at the pinned versions.

Run by setup.sh as ``python check_pins.py requirements.txt constraints.txt``: exit 0 when every
requirement (its marker true here) is installed and satisfied, and every installed distribution that
constraints.txt pins has exactly the pinned version; else exit 1, printing what differs. Standard
library only, but for ``packaging`` (pip's own copy when the environment has no other).
"""

import re
import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lines(path: str) -> list[str]:
    with open(path) as handle:
        return [line.split("#", 1)[0].strip() for line in handle if line.split("#", 1)[0].strip()]


def problems(requirements: list[str], pins: dict[str, str]) -> list[str]:
    found = []
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            found.append(f"{requirement.name} is not installed")
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            found.append(f"{requirement.name} {installed} does not satisfy {line}")
    seen = set()
    for distribution in metadata.distributions():
        name = canonical(distribution.metadata["Name"] or "")
        if name in seen or name not in pins:
            continue  # the first of a name on the path is the one imported
        seen.add(name)
        if distribution.version != pins[name]:
            found.append(f"{name} {distribution.version} is installed; the references were measured with "
                         f"{pins[name]}")
    return found


def main(requirements_file: str, constraints_file: str) -> int:
    pins = {}
    for line in lines(constraints_file):
        name, _, version = line.partition("==")
        pins[canonical(name)] = version.strip()
    found = problems(lines(requirements_file), pins)
    for problem in found:
        print(f"  {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

"""The package's shape: imports only go down the trust-zone layers, no import circle, and no shared module
names a particular exercise."""

import ast
import re
from pathlib import Path

import autograder

PACKAGE = Path(autograder.__file__).parent
# From the bottom. A module may import its own layer and the layers below it, never one above.
LAYERS = ("errors", "templates", "course", "sandbox", "measure", "spec", "exercises", "results", "children", "grading",
          "daemon", "notebooks", "commands", "cli", "pytest_plugin")
SHIMS = {"notebook_checks", "nbgrader_feedback", "quiet", "__main__"}  # old paths of released files, the entry


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def exists(name: str) -> bool:
    base = PACKAGE.parent / name.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(path: Path) -> set[str]:
    """The kit's modules that ``path`` imports anywhere, function-level imports included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("autograder"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names if exists(f"{node.module}.{alias.name}")}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("autograder")}
    return {name for name in found if name != "autograder"}  # the root holds only the version


def layer(name: str) -> int:
    top = name.split(".")[1]
    return LAYERS.index(top)


def test_every_module_belongs_to_a_layer():
    tops = {name.split(".")[1] for name in MODULES if name != "autograder"}
    assert tops - set(LAYERS) - SHIMS == set()


def test_imports_only_go_down():
    upward = [f"{name} imports {imported}" for name, path in MODULES.items()
              if name != "autograder" and name.split(".")[1] not in SHIMS
              for imported in imports(path) if layer(imported) > layer(name)]
    assert upward == []


def test_no_import_circle():
    # Importing ``a.b.c`` runs ``a.b``'s ``__init__`` too, except from inside ``a.b``, which is loaded already.
    graph = {name: {i for i in imports(path) if i in MODULES} for name, path in MODULES.items()}
    graph = {name: (edges | set(_packages_of(edges))) - set(_packages_of([name])) - {name}
             for name, edges in graph.items()}
    circles = []

    def visit(name, trail):
        if name in trail:
            circles.append(trail[trail.index(name):] + [name])
            return
        if name in done:
            return
        for imported in sorted(graph.get(name, ())):
            visit(imported, trail + [name])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [])
    assert circles == []


def _packages_of(names):
    """The packages above each module: ``a.b`` for ``a.b.c``."""
    for name in names:
        parts = name.split(".")
        for end in range(2, len(parts)):
            yield ".".join(parts[:end])


def test_no_shared_module_names_a_particular_exercise():
    # Exercise specs state their own facts; probe logic for one kind of exercise lives in measure/probes/.
    mentions = re.compile(r"[Ee]xercises? \d\d|\bex\d\d's\b")
    named = [f"{path.relative_to(PACKAGE)}:{number}" for name, path in MODULES.items()
             if not name.startswith("autograder.exercises.")
             for number, line in enumerate(path.read_text().splitlines(), 1) if mentions.search(line)]
    assert named == []

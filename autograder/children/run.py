"""Runs inside the untrusted child: import the submission, call its function for each case, hand back.

A child runs several cases of one exercise, one after another, each in its own folder. Each case
starts afresh: Keras' global state cleared, the submission's modules imported anew, every generator
seeded, so that its results are those of a case run alone (tests/test_harness.py compares them).
Everything the grader provides (data, models to train) is built before the student's file is
imported. Whatever the student's code does after that may corrupt this process, which is why nothing
written here is believed beyond a status message: the measuring process re-reads the artifacts.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from autograder import sandbox
from autograder.children import handback
from autograder.sandbox import artifacts, determinism
from autograder.spec import Function, Provided

_modules_before_any_case: set[str] | None = None  # never forgotten: the kit's and the libraries' own


def run_cases(*, source: str, calls: dict[str, dict[str, Any]]) -> None:
    """Run each call in order, each in the folder of its case's name under the current one, which
    holds its result and what it printed (see ``run_case``)."""
    group = Path.cwd()
    for name, call in calls.items():
        os.chdir(group / name)
        sandbox.redirect_output(group / name)
        run_case(source=source, call=call)


def run_case(*, source: str, call: dict[str, Any]) -> None:
    """Run one case in the current folder. ``call`` is all this process learns of it (built by
    ``grading.runs``): ``function``, ``returns``, ``seed`` and ``kwargs``, whose data arrays the
    grading process built (this process cannot read the datasets' cache) and whose given models are
    built here before the student's file is imported."""
    out = Path.cwd()
    _start_afresh(Path(source))
    seed = call["seed"]
    function = Function(call["function"], call["returns"])
    determinism.seed_everything(seed)
    kwargs = {key: value.materialize(seed) if isinstance(value, Provided) else value
              for key, value in call["kwargs"].items()}
    determinism.seed_everything(seed)

    path = Path(source)
    try:
        module = _import_file(path)
    except SyntaxError as exc:
        if "codec can't decode" in str(exc.msg):
            return _fail(out, "encoding", f"{path.name} is not UTF-8 text: save it with UTF-8 encoding "
                                          f"(line {exc.lineno}: {exc.msg})")
        return _fail(out, "syntax", f"{path.name} has a syntax error on line {exc.lineno}: {exc.msg}")
    except BaseException as exc:  # noqa: BLE001 - import-time errors of any kind, sys.exit included
        return _fail(out, "import", f"importing {path.name} failed:\n{_student_traceback(exc, path)}")

    student_function = getattr(module, function.name, None)
    if not callable(student_function):
        return _fail(out, "missing", f"{path.name} defines no function {function.name}()")
    try:
        inspect.signature(student_function).bind(**kwargs)
    except (TypeError, ValueError) as exc:
        expected = ", ".join(kwargs)
        return _fail(out, "signature", f"{function.name}() must accept the arguments ({expected}): {exc}")

    try:
        value = student_function(**kwargs)
    except NotImplementedError:
        return _fail(out, "not_implemented",
                     f"{function.name}() is not implemented yet: replace `raise NotImplementedError()` "
                     "with your code")
    except SystemExit as exc:
        return _fail(out, "exit", f"{function.name}() called sys.exit({exc.code!r}) instead of returning")
    except BaseException as exc:  # noqa: BLE001 - every error in student code becomes a message
        return _fail(out, "exception", f"{function.name}() raised an error:\n{_student_traceback(exc, path)}")

    try:
        handback.save(value, function.returns, out, function.name)
    except handback.WrongReturn as exc:
        return _fail(out, "wrong_return", str(exc))
    except Exception as exc:  # noqa: BLE001 - e.g. a model that cannot be saved
        return _fail(out, "save", f"what {function.name}() returned could not be handed back: "
                                  f"{type(exc).__name__}: {exc}")
    artifacts.write_json(out / artifacts.RESULT, {"status": "ok"})


def _start_afresh(source: Path) -> None:
    """Forget what an earlier case of this process left behind: Keras' models, layer names and seed
    generators, and the submission's modules (its file and its helpers run again on import)."""
    import keras

    global _modules_before_any_case
    keras.backend.clear_session(free_memory=False)
    if _modules_before_any_case is None:
        _modules_before_any_case = set(sys.modules)
    folder = str(source.parent) + os.sep
    for name, module in list(sys.modules.items()):
        file = str(getattr(module, "__file__", None) or "")
        # A virtual environment kept inside the submission's folder holds libraries, not the submission.
        if name not in _modules_before_any_case and file.startswith(folder) and "site-packages" not in file:
            del sys.modules[name]


def _import_file(path: Path) -> Any:
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # let a submission import its own helper modules
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def _student_traceback(exc: BaseException, path: Path) -> str:
    """The traceback frames in the student's own file, then the error: the part they can act on."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == str(path)]
    lines = [f"  {path.name}, line {frame.lineno}, in {frame.name}: {frame.line}" for frame in frames[-5:]]
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return "\n".join(lines + [message[:2000]])


def _fail(out: Path, kind: str, message: str) -> None:
    artifacts.write_json(out / artifacts.RESULT, {"status": "error", "kind": kind, "message": message})

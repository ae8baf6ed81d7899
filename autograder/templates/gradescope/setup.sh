#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: the zip is unpacked in
# /autograder/source. It makes $AUTOGRADER_ROOT/venv (default /autograder/venv) with tfgrade and its
# dependencies at exactly the versions the references in the zip were measured with:
#   1. a Python of the instructor's minor version (python-version.txt): python3.X or python3 if it is
#      that version, else apt's python3.X, else one installed with uv;
#   2. the course's requirements (requirements.txt) pinned by constraints.txt, unless check_pins.py
#      finds them already there;
#   3. the kit from course/ (no build step), and a check that every shipped reference is the one this
#      environment reads: otherwise each submission would recompute it (TFGRADE_ALLOW_RECOMPUTE=1 goes on).
# To try it locally: AUTOGRADER_ROOT=<folder> setup.sh, with TFGRADE_SETUP_PYTHON=<python> to reuse that
# interpreter's packages (checked against the pins, installed over only if they differ).
set -euo pipefail
unset PYTHONPATH  # the zip's own kit (course/autograder), never another on the import path
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="${AUTOGRADER_ROOT:-/autograder}"
VENV="$ROOT/venv"
WANT="$(tr -d '[:space:]' < "$HERE/python-version.txt")"

step() { printf '\n== tfgrade setup: %s\n' "$*"; }

version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true; }

has_venv() { "$1" -c 'import ensurepip, venv' > /dev/null 2>&1; }

find_python() {
    local candidate
    for candidate in "python$WANT" python3; do
        if command -v "$candidate" > /dev/null && [ "$(version_of "$candidate")" = "$WANT" ] \
                && has_venv "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

install_python() {
    if command -v apt-get > /dev/null; then  # Ubuntu 24.04: 3.12; 22.04: 3.11 (universe)
        apt-get update -qq || true
        if apt-get install -y -qq "python$WANT" "python$WANT-venv" > /dev/null; then
            return 0
        fi
        echo "apt has no python$WANT here; installing it with uv"
        apt-get install -y -qq curl ca-certificates > /dev/null || true
    fi
    export UV_PYTHON_INSTALL_DIR="$ROOT/uv/python"
    curl -LsSf https://astral.sh/uv/install.sh | env UV_UNMANAGED_INSTALL="$ROOT/uv" sh
    "$ROOT/uv/uv" python install "$WANT"
    ln -sf "$("$ROOT/uv/uv" python find --python-preference only-managed "$WANT")" "$ROOT/uv/python$WANT"
    export PATH="$ROOT/uv:$PATH"
}

if [ -n "${TFGRADE_SETUP_PYTHON:-}" ]; then
    PYTHON="$TFGRADE_SETUP_PYTHON"
    step "reusing the packages of $PYTHON (Python $(version_of "$PYTHON"); the zip was built with $WANT)"
else
    step "Python $WANT"
    PYTHON="$(find_python)" || { install_python; PYTHON="$(find_python)"; } \
        || { echo "no Python $WANT with venv could be found or installed" >&2; exit 1; }
    echo "using $PYTHON"
fi

step "the virtual environment $VENV"
"$PYTHON" -m venv --clear "$VENV"
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
if [ -n "${TFGRADE_SETUP_PYTHON:-}" ]; then  # after the venv's own packages, the reused interpreter's
    "$PYTHON" -c 'import sysconfig; print(*dict.fromkeys(sysconfig.get_path(p) for p in ("purelib", "platlib")), sep="\n")' \
        > "$SITE/zz-tfgrade-reused.pth"
fi
# The kit: course/autograder on the import path through a folder of its own (the course root itself,
# with the solutions, is never an import path), and a `tfgrade` command like pip's.
mkdir -p "$VENV/tfgrade-kit"
ln -sfn "$HERE/course/autograder" "$VENV/tfgrade-kit/autograder"
echo "$VENV/tfgrade-kit" > "$SITE/00-tfgrade-kit.pth"
printf '#!%s\nimport sys\n\nfrom autograder.cli import main\n\nif __name__ == "__main__":  # not in the processes multiprocessing starts\n    sys.exit(main())\n' \
    "$VENV/bin/python" > "$VENV/bin/tfgrade"
chmod 755 "$VENV/bin/tfgrade"

step "the pinned packages (constraints.txt)"
if "$VENV/bin/python" "$HERE/check_pins.py" "$HERE/requirements.txt" "$HERE/constraints.txt"; then
    echo "already installed at the pinned versions"
else
    echo "installing them"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
        -c "$HERE/constraints.txt" -r "$HERE/requirements.txt"
    "$VENV/bin/python" "$HERE/check_pins.py" "$HERE/requirements.txt" "$HERE/constraints.txt" \
        || { echo "the installed packages still differ from the pins above" >&2; exit 1; }
fi

step "the references in the zip"
if ! (cd "$VENV" && "$VENV/bin/python" -c \
        "import sys; from autograder.commands.gradescope import check_references; sys.exit(check_references())"); then
    if [ "${TFGRADE_ALLOW_RECOMPUTE:-0}" = 1 ]; then
        echo "TFGRADE_ALLOW_RECOMPUTE=1: going on; every submission will recompute these references"
    else
        echo "setup failed: see above (TFGRADE_ALLOW_RECOMPUTE=1 accepts the recomputation)" >&2
        exit 1
    fi
fi
step "done: $VENV/bin/tfgrade"

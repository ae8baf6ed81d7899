#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
cd "$(dirname "$0")"
apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip > /dev/null
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q -e ./course

#!/usr/bin/env bash
# Run the test suite: sets up what is missing first (as run.sh does), then pytest with offscreen Qt.
# Arguments go to pytest, e.g. `./test.sh -k resume` or `./test.sh tests/test_cli.py`.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/packaging/bootstrap.sh"
cd "$GANSTUDIO_ROOT"
QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest -q "$@"

#!/usr/bin/env bash
# Launch ganstudio: sets up what is missing first (system libraries, .venv/, Python packages; fast once done).
# Arguments go to the `ganstudio` command: `./run.sh` opens the app, `./run.sh train dcgan --data mnist ...` etc.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/packaging/bootstrap.sh"
exec "$GANSTUDIO_VENV/bin/ganstudio" "$@"

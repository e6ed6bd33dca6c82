# shellcheck shell=bash
# Shared, idempotent set-up sourced by run.sh and test.sh (or run on its own: `bash packaging/bootstrap.sh`):
# the system libraries Qt and PortAudio need (Debian/Ubuntu), a Python 3.11 virtual env in .venv/, and
# `pip install -e ".[test]"`. When everything is in place it costs well under a second: one dpkg-query call,
# one Python start and a hash of pyproject.toml compared with the stamp written after the last successful install.
set -euo pipefail

GANSTUDIO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GANSTUDIO_VENV="$GANSTUDIO_ROOT/.venv"
GANSTUDIO_STAMP="$GANSTUDIO_VENV/.ganstudio-setup"

# Qt's xcb platform plugin (a window on X11 or XWayland) links against all of these; offscreen Qt (the tests)
# needs only libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0; sounddevice needs libportaudio2.
GANSTUDIO_SYSTEM_PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libportaudio2
)

_gs_say() { printf 'ganstudio setup: %s\n' "$*" >&2; }
_gs_die() { _gs_say "$@"; exit 1; }

_gs_is_python311() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; }

# The first Python 3.11 found: $GANSTUDIO_PYTHON, python3.11, python3 (Debian 12's python3 is 3.11).
_gs_find_python() {
  local candidate path
  for candidate in "${GANSTUDIO_PYTHON:-}" python3.11 python3; do
    [[ -n $candidate ]] || continue
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if _gs_is_python311 "$path"; then
      printf '%s\n' "$path"
      return 0
    fi
  done
  return 1
}

_gs_no_python_message() {
  local found
  found=$(python3 --version 2>&1 || echo "no python3")
  _gs_say "ganstudio needs Python 3.11 (TensorFlow 2.21 and the pinned requirements); found: ${found}."
  _gs_say "Get it with one of:"
  _gs_say "  Debian 12 / Ubuntu 22.04:  sudo apt-get install -y python3.11 python3.11-venv"
  _gs_say "  Ubuntu 24.04 and others:   sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt-get install -y python3.11 python3.11-venv"
  _gs_say "  any Linux, no root:        pyenv install 3.11   (or: uv python install 3.11)"
  _gs_say "then run this command again, with GANSTUDIO_PYTHON=/path/to/python3.11 if it is not on PATH as python3.11."
  exit 1
}

# The packages of "$@" that are not installed; a library renamed for 64-bit time (Ubuntu 24.04: libglib2.0-0t64) counts as installed.
_gs_missing_packages() {
  local -A installed=()
  local name state pkg
  while read -r name state; do
    [[ $state == installed ]] && installed[$name]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" "${@/%/t64}" 2>/dev/null || true)
  for pkg in "$@"; do
    [[ -n ${installed[$pkg]:-} || -n ${installed[${pkg}t64]:-} ]] || printf '%s\n' "$pkg"
  done
}

_gs_can_be_root() {
  [[ $EUID -eq 0 ]] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }
}

_gs_apt_get() {
  local -a cmd=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@")
  if [[ $EUID -eq 0 ]]; then "${cmd[@]}" </dev/null; else sudo -n "${cmd[@]}" </dev/null; fi
}

_gs_explain_missing() {
  _gs_say "these system libraries are missing: $*"
  _gs_say "install them (as root, or with sudo), then run this command again:"
  printf '\n    sudo apt-get update && sudo apt-get install -y %s\n\n' "$*" >&2
  _gs_say "(set GANSTUDIO_SKIP_SYSTEM_PACKAGES=1 to go on without them: the window or the audio may then fail.)"
  exit 1
}

# Installs the missing ones of "$@" with apt-get when root or passwordless sudo allows it; else says exactly how.
_gs_ensure_system_packages() {
  [[ -z ${GANSTUDIO_SKIP_SYSTEM_PACKAGES:-} ]] || return 0
  if ! command -v dpkg-query >/dev/null; then
    [[ -f $GANSTUDIO_STAMP ]] || _gs_say "not a Debian/Ubuntu system: install Qt 6's xcb libraries and PortAudio yourself (README, Troubleshooting)."
    return 0
  fi
  local -a missing
  mapfile -t missing < <(_gs_missing_packages "$@")
  ((${#missing[@]})) || return 0
  if ! command -v apt-get >/dev/null || ! _gs_can_be_root; then _gs_explain_missing "${missing[@]}"; fi
  _gs_say "installing system libraries: ${missing[*]}"
  _gs_apt_get update -qq >&2 || _gs_say "apt-get update failed; trying the install with the package lists there are"
  _gs_apt_get install -y -qq --no-install-recommends "${missing[@]}" >&2 || _gs_explain_missing "${missing[@]}"
}

_gs_venv_ready() { [[ -x $GANSTUDIO_VENV/bin/python ]] && _gs_is_python311 "$GANSTUDIO_VENV/bin/python"; }

# Extra packages needed to create the venv: Python 3.11 itself where apt offers it, or Debian's split-out ensurepip.
_gs_python_packages() {
  local python=$1
  if [[ -z $python ]]; then
    command -v apt-cache >/dev/null && apt-cache policy python3.11 2>/dev/null | grep -q 'Candidate: [0-9]' \
      && printf '%s\n' python3.11 python3.11-venv
  elif ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
    printf '%s\n' python3.11-venv
  fi
  return 0
}

_gs_create_venv() {
  local python
  python=$(_gs_find_python) || python=""
  local -a extra
  mapfile -t extra < <(_gs_python_packages "$python")
  _gs_ensure_system_packages "${GANSTUDIO_SYSTEM_PACKAGES[@]}" "${extra[@]}"
  [[ -n $python ]] || python=$(_gs_find_python) || _gs_no_python_message
  _gs_say "creating the virtual env .venv/ with $python"
  "$python" -m venv --clear "$GANSTUDIO_VENV" >&2 \
    || _gs_die "could not create .venv/ (on Debian/Ubuntu: sudo apt-get install -y python3.11-venv), then run this command again."
}

# pesq (wide-band PESQ, the reference C code) ships no wheels: pip compiles it, which needs a C compiler and the
# headers of the venv's Python. Prints the Debian packages to add when they are missing.
_gs_build_packages() {
  command -v gcc >/dev/null || printf '%s\n' gcc libc6-dev
  local include
  include=$("$GANSTUDIO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null) || return 0
  [[ -f $include/Python.h ]] || printf '%s\n' python3.11-dev
}

_gs_pyproject_hash() { sha256sum "$GANSTUDIO_ROOT/pyproject.toml" | cut -d' ' -f1; }

# pip runs only when pyproject.toml changed since the last successful install (the package itself is editable).
_gs_install_python_packages() {
  local want
  want=$(_gs_pyproject_hash)
  [[ -f $GANSTUDIO_STAMP && $(<"$GANSTUDIO_STAMP") == "$want" ]] && return 0
  local -a build
  mapfile -t build < <(_gs_build_packages)
  ((${#build[@]} == 0)) || _gs_ensure_system_packages "${build[@]}"
  _gs_say "installing the Python packages into .venv/ (the first time takes a few minutes: TensorFlow is large)"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$GANSTUDIO_VENV/bin/python" -m pip install ${CI:+--progress-bar off} \
    -e "${GANSTUDIO_ROOT}[test]" >&2 \
    || _gs_die "pip install failed (see above); check the network or proxy, then run this command again."
  printf '%s\n' "$want" >"$GANSTUDIO_STAMP"
}

ganstudio_bootstrap() {
  local lock_fd
  if command -v flock >/dev/null; then
    exec {lock_fd}<"${BASH_SOURCE[0]}" # two first runs at once would both pip install into one venv
    flock "$lock_fd"
  fi
  if _gs_venv_ready; then
    _gs_ensure_system_packages "${GANSTUDIO_SYSTEM_PACKAGES[@]}"
  else
    _gs_create_venv
  fi
  _gs_install_python_packages
  if [[ -n ${lock_fd:-} ]]; then exec {lock_fd}<&-; fi # closed, so the exec'd app does not hold the lock
}

ganstudio_bootstrap

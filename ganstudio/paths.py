"""Where the shipped resources, models and the user's own files live."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def resources_dir() -> Path:
    """Shipped resources: `ganstudio/_resources` in a wheel, `resources/` in a source checkout."""
    return _first_existing(_PACKAGE / "_resources", _PACKAGE.parent / "resources")


def shipped_models_dir() -> Path:
    """Shipped pretrained models: `ganstudio/_models` in a wheel, `models/` in a source checkout."""
    return _first_existing(_PACKAGE / "_models", _PACKAGE.parent / "models")


def user_data_dir() -> Path:
    """Per-user folder for runs and saved points (XDG_DATA_HOME, overridable with GANSTUDIO_HOME for tests)."""
    override = os.environ.get("GANSTUDIO_HOME")
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "ganstudio"


def runs_dir() -> Path:
    return user_data_dir() / "runs"

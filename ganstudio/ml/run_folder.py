"""A training run's folder: run.json (recipe + config), checkpoints/, samples/, tensorboard/, model/."""

from __future__ import annotations

import json
from pathlib import Path

from ganstudio.core.atomic import write_text_atomic
from ganstudio.core.errors import RunFolderError
from ganstudio.ml.config import TrainConfig

RUN_FORMAT = 1


def create(run_dir: Path, config: TrainConfig) -> None:
    """Start a new run; refuses a folder holding a run with checkpoints, so no training is overwritten by accident."""
    has_checkpoints = any((run_dir / "checkpoints").glob("ckpt-*"))
    if (run_dir / "run.json").exists() and has_checkpoints:
        raise RunFolderError(f"{run_dir} already holds a training run.", "Resume it (--resume) or choose a new folder.")
    if run_dir.exists() and not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is a file, not a folder.", "Choose a folder for the run.")
    payload = {"format": RUN_FORMAT, "config": json.loads(config.to_json())}
    write_text_atomic(run_dir / "run.json", json.dumps(payload, indent=2))


def read_config(run_dir: Path) -> TrainConfig:
    path = run_dir / "run.json"
    if not path.exists():
        raise RunFolderError(f"{run_dir} is not a training run (no run.json).", "Pick the folder given as --out when training.")
    try:
        payload = json.loads(path.read_text())
        fmt = payload.get("format")
        config = TrainConfig.from_dict(payload["config"])
    except (ValueError, KeyError, TypeError) as err:
        raise RunFolderError(f"{path} is damaged ({err}).", "Start a new run in another folder.") from err
    if fmt != RUN_FORMAT:
        raise RunFolderError(f"{run_dir} was written by another version of ganstudio (run format {fmt}, this is {RUN_FORMAT}).",
                             "Start a new run, or open it with the version that created it.")
    return config


def check_resumable(run_dir: Path, recipe: str) -> TrainConfig:
    """The stored config, after checking the run was made by the same recipe."""
    config = read_config(run_dir)
    if config.recipe != recipe:
        raise RunFolderError(f"{run_dir} is a {config.recipe!r} run, not {recipe!r}.",
                             f"Resume it with recipe {config.recipe!r}, or start {recipe!r} in a new folder.")
    return config

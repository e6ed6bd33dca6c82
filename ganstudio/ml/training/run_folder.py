"""A training run's folder: run.json (recipe + config), checkpoints/, samples/, tensorboard/, model/."""

from __future__ import annotations

import json
from pathlib import Path

from ganstudio.core.atomic import disk_error, write_text_atomic
from ganstudio.core.errors import RunFolderError
from ganstudio.ml.training.config import TrainConfig

RUN_FORMAT = 1


def check_folder(run_dir: Path) -> None:
    """Make sure the run folder (and its parents) exist as folders; RunFolderError says what is in the way."""
    for folder in (run_dir, *run_dir.parents):
        if folder.exists() and not folder.is_dir():
            raise RunFolderError(f"{folder} is a file, not a folder, so the run cannot be written to {run_dir}.",
                                 "Choose another output folder, or move that file away.")
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise disk_error(err, run_dir) from err


def create(run_dir: Path, config: TrainConfig) -> None:
    """Start a new run; refuses a folder holding a run with checkpoints, so no training is overwritten by accident."""
    check_folder(run_dir)
    has_checkpoints = any((run_dir / "checkpoints").glob("ckpt-*"))
    if (run_dir / "run.json").exists() and has_checkpoints:
        raise RunFolderError(f"{run_dir} already holds a training run.", "Resume it (--resume) or choose a new folder.")
    payload = {"format": RUN_FORMAT, "config": json.loads(config.to_json())}
    write_text_atomic(run_dir / "run.json", json.dumps(payload, indent=2))


def read_config(run_dir: Path) -> TrainConfig:
    path = run_dir / "run.json"
    if not path.exists():
        raise RunFolderError(f"{run_dir} is not a training run (no run.json).", "Pick the folder given as --out when training.")
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise RunFolderError(f"{path} is damaged ({err}).", "Start a new run in another folder.") from err
    fmt = payload.get("format") if isinstance(payload, dict) else None
    if fmt != RUN_FORMAT:
        age = "a newer" if isinstance(fmt, int) and fmt > RUN_FORMAT else "another"
        raise RunFolderError(f"{run_dir} was written by {age} version of ganstudio (run format {fmt}, this one reads {RUN_FORMAT}).",
                             "Start a new run, or open it with the version that created it.")
    try:
        config = TrainConfig.from_dict(payload["config"])
    except (KeyError, TypeError, ValueError) as err:
        raise RunFolderError(f"{path} is damaged ({type(err).__name__}: {err}).", "Start a new run in another folder.") from err
    return config


def check_resumable(run_dir: Path, recipe: str) -> TrainConfig:
    """The stored config, after checking the run was made by the same recipe."""
    config = read_config(run_dir)
    if config.recipe != recipe:
        raise RunFolderError(f"{run_dir} is a {config.recipe!r} run, not {recipe!r}.",
                             f"Resume it with recipe {config.recipe!r}, or start {recipe!r} in a new folder.")
    return config

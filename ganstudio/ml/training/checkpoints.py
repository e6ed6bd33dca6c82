"""Atomic training checkpoints: TF variables (models, optimizers, RNG, step) + history + fixed z, one folder each.

Each checkpoint is written to a temp folder, fsynced, then renamed to `ckpt-<step>`: a folder with that name is
always complete. The last N are kept, plus the one with the best (lowest) metric.
"""

from __future__ import annotations

import contextlib
import errno
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.atomic import atomic_folder, clean_stale_temp, remove_folder
from ganstudio.core.errors import StudioError
from ganstudio.core.training.history import LossHistory

CHECKPOINT_FORMAT = 1


@dataclass(frozen=True)
class CheckpointInfo:
    path: Path
    step: int
    metric: float | None
    images: int | None = None  # images (windows, pairs) trained on from step 0 to this step; None when not recorded


class CheckpointStore:
    def __init__(self, run_dir: Path, keep_last: int = 3) -> None:
        self.folder = Path(run_dir) / "checkpoints"
        self.keep_last = max(1, keep_last)

    def list(self) -> list[CheckpointInfo]:
        """Complete checkpoints, oldest first. Temp folders ('.tmp-*') of killed writers are ignored."""
        found = []
        for path in self.folder.glob("ckpt-*"):
            try:
                found.append(_read_meta(path))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not ours or damaged: never trust it (unreadable() names the damaged ones)
        return sorted(found, key=lambda c: c.step)

    def unreadable(self) -> list[tuple[Path, int, str]]:
        """(folder, step from its name, why) of each ckpt-<step> folder whose meta.json cannot be read: list() leaves
        them out, and a resume that passes one over must say so."""
        found = []
        for path in self.folder.glob("ckpt-*"):
            step = path.name[len("ckpt-"):]
            if not step.isdigit():
                continue  # not a name we write
            try:
                _read_meta(path)
            except FileNotFoundError:
                found.append((path, int(step), "meta.json is missing"))
            except (OSError, ValueError, KeyError, TypeError) as err:
                found.append((path, int(step), f"meta.json cannot be read: {type(err).__name__}"))
        return sorted(found, key=lambda item: item[1])

    def clean_stale(self) -> int:
        """Remove temp folders of killed writers. Only the process that owns the run may call this (a reader that
        did could delete a checkpoint being written by a live trainer)."""
        return clean_stale_temp(self.folder)

    @staticmethod
    def images_at(path: Path) -> int | None:
        """Images trained on up to this checkpoint (meta.json), None when it does not say."""
        try:
            return _read_meta(path).images
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def latest(self) -> CheckpointInfo | None:
        items = self.list()
        return items[-1] if items else None

    def save(self, step: int, tf_checkpoint, history: LossHistory, fixed: dict[str, np.ndarray],
             metric: float | None = None, images: int | None = None) -> Path:
        final = self.folder / f"ckpt-{step:09d}"
        try:
            with atomic_folder(final) as tmp:
                _write_tf(tf_checkpoint, tmp / "state")
                (tmp / "history.npz").write_bytes(history.to_bytes())
                np.savez(tmp / "fixed.npz", **fixed)
                meta = {"format": CHECKPOINT_FORMAT, "step": step, "metric": metric, "saved_at": time.time()}
                if images is not None:
                    meta["images"] = int(images)
                (tmp / "meta.json").write_text(json.dumps(meta))  # written last: marks the folder as complete
        except StudioError as err:
            raise StudioError(f"Could not save the checkpoint of step {step}: {err.problem}",
                              f"The previous checkpoints are intact; resume the run once this is fixed. {err.hint}") from err
        self._prune()
        return final

    def _prune(self) -> None:
        items = self.list()
        keep = {c.path for c in items[-self.keep_last:]}
        scored = [c for c in items if c.metric is not None]
        if scored:
            keep.add(min(scored, key=lambda c: c.metric).path)
        for c in items:
            if c.path not in keep:
                with contextlib.suppress(OSError):  # an old checkpoint that will not go away costs space, not the run
                    remove_folder(c.path)

    @staticmethod
    def load_extras(path: Path) -> tuple[LossHistory, dict[str, np.ndarray]]:
        history = LossHistory.from_bytes((path / "history.npz").read_bytes())
        with np.load(path / "fixed.npz") as npz:
            fixed = {k: npz[k] for k in npz.files}
        return history, fixed


def _read_meta(path: Path) -> CheckpointInfo:
    meta = json.loads((path / "meta.json").read_text())
    images = meta.get("images")
    return CheckpointInfo(path, int(meta["step"]), meta.get("metric"), int(images) if isinstance(images, int) else None)


def _write_tf(tf_checkpoint, prefix: Path) -> None:
    """tf.train.Checkpoint.write, with TensorFlow's I/O errors turned into OSError so they get the same message."""
    from ganstudio.ml.runtime import tf

    try:
        tf_checkpoint.write(str(prefix))
    except tf().errors.OpError as err:
        code = errno.ENOSPC if "space" in str(err).lower() else errno.EIO
        raise OSError(code, err.message) from err

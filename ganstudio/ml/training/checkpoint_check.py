"""Is a checkpoint whole? Every file of a ckpt-* folder is read back in full before a resume or rollback trusts it.

Checkpoints are written atomically, so damage comes from outside (a disk fault, a copy cut short, a hand edit): a
truncated history.npz, fixed.npz or state.data-* must send the run back to the newest intact checkpoint with a note
saying which one was passed over and why, not end it with a raw IndexError or BadZipFile, nor be called a checkpoint
that "does not fit this run" (that is for checkpoints of another recipe or settings).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.core.training.history import LossHistory
from ganstudio.ml.training.checkpoints import CheckpointInfo, CheckpointStore


def damage(path: Path) -> str | None:
    """What is wrong with the checkpoint folder at `path`, or None when every file reads back whole."""
    for name, read in (("history.npz", _read_history), ("fixed.npz", _read_fixed), ("state.index", _open_state),
                       ("state.data-*", _read_state)):
        try:
            read(path)
        except Exception as err:  # noqa: BLE001 - any failure to read back is damage; each format fails its own way
            first_line = (str(err).strip().splitlines() or [""])[0][:160]
            return f"{name} cannot be read: {type(err).__name__}" + (f": {first_line}" if first_line else "")
    return None


def newest_intact(store: CheckpointStore) -> tuple[CheckpointInfo | None, list[str]]:
    """The newest checkpoint that reads back whole (None if none does), and a line for each newer damaged one,
    newest first: 'checkpoint 30 is damaged (history.npz cannot be read: …)'."""
    damaged = [(step, why) for _, step, why in store.unreadable()]
    chosen = None
    for info in reversed(store.list()):
        why = damage(info.path)
        if why is None:
            chosen = info
            break
        damaged.append((info.step, why))
    newer = sorted((item for item in damaged if chosen is None or item[0] > chosen.step), reverse=True)
    return chosen, [f"checkpoint {step} is damaged ({why})" for step, why in newer]


def _read_history(path: Path) -> None:
    LossHistory.from_bytes((path / "history.npz").read_bytes())


def _read_fixed(path: Path) -> None:
    with np.load(path / "fixed.npz") as npz:
        for key in npz.files:
            _ = npz[key]  # np.load is lazy: reading each array checks its zip CRC


def _open_state(path: Path):
    """The TF checkpoint's reader: opening it reads the index (names, shapes, where each tensor lies)."""
    from ganstudio.ml.runtime import tf

    return tf().train.load_checkpoint(str(path / "state"))


def _read_state(path: Path) -> None:
    """Every tensor of the TF checkpoint (TensorFlow checks each one's CRC as it reads it)."""
    reader = _open_state(path)
    for name in reader.get_variable_to_shape_map():
        reader.get_tensor(name)

"""The run folder's samples/: every preview grid as samples/step-<n>.png (and the real grid once as real.png), like
the book's checkpoint images; speech previews also as samples/step-<n>.wav. The sink writes it for every run, CLI or
GUI; the reading helpers below give the Train page the saved grids back (its step slider, a resumed run's preview)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ganstudio.core.training import events as ev

REAL_NAME = "real.png"
_STEP_NAME = re.compile(r"step-(\d{9,})\.png")


def grid_path(folder, step: int) -> Path:
    return Path(folder) / f"step-{step:09d}.png"


def saved_steps(folder, upto: int | None = None) -> list[int]:
    """The steps of the grids saved in `folder`, ascending; only those at or before `upto` when given (a resumed run
    goes on from its checkpoint: grids saved after it belong to steps that will be trained again)."""
    try:
        names = [entry.name for entry in Path(folder).iterdir()]
    except OSError:  # no samples/ yet (or no run folder at all)
        return []
    steps = sorted(int(m.group(1)) for m in map(_STEP_NAME.fullmatch, names) if m)
    return [s for s in steps if upto is None or s <= upto]


def read_grid(path) -> np.ndarray | None:
    """A saved grid as uint8 (H, W, C), or None when it is missing or unreadable (never an exception: a damaged
    sample must not stop a page from showing the others)."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            img = img.convert("L") if img.mode in ("L", "I", "I;16", "1") else img.convert("RGB")
            array = np.asarray(img, np.uint8)
    except (OSError, ValueError):
        return None
    return array[..., None] if array.ndim == 2 else array


class SampleFolderSink:
    def __init__(self, folder) -> None:
        self.folder = Path(folder)

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.PreviewReady):
            import io

            from ganstudio.core.atomic import write_bytes_atomic
            from ganstudio.core.image_data.images import to_pil

            path = self.folder / REAL_NAME if event.kind == "real" else grid_path(self.folder, event.step)
            buf = io.BytesIO()
            to_pil(event.grid).save(buf, format="PNG")
            write_bytes_atomic(path, buf.getvalue())  # a kill never leaves a truncated PNG
            if event.clips is not None:
                self._save_clips(event)

    def _save_clips(self, event: ev.PreviewReady) -> None:
        """The enhanced validation clips as samples/step-<n>.wav, one after another with a short pause; the noisy and
        clean ones once, as validation-noisy.wav and validation-clean.wav, to listen against."""
        from ganstudio.core.speech.audio_files import SPEECH_RATE, write_audio

        def joined(which: int) -> np.ndarray:
            pause = np.zeros(SPEECH_RATE // 4, np.float32)
            return np.concatenate([part for clip in event.clips[:, which] for part in (clip, pause)])

        write_audio(self.folder / f"step-{event.step:09d}.wav", joined(1), SPEECH_RATE)
        for which, name in ((0, "validation-noisy.wav"), (2, "validation-clean.wav")):
            if not (self.folder / name).exists():
                write_audio(self.folder / name, joined(which), SPEECH_RATE)

"""A/B playback of two clips (noisy and denoised): play, stop, seek, loop a selection, switch clips in place."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

CLIP_NAMES = ("a", "b")


class Player:
    """Plays float32 mono clips through an output stream opened on `play` and closed on `stop`.

    `stream_factory(**kwargs)` opens a sounddevice-like OutputStream (default: sounddevice.OutputStream); tests pass
    a fake. Switching between clip "a" and "b" keeps the position, so the listener hears the same moment of each.
    The UI polls `position` and `playing` (e.g. to draw a playhead); nothing is called back from the audio thread.
    """

    def __init__(self, stream_factory: Callable[..., object] | None = None, rate: int = 16000, block: int = 1024,
                 device: object = None) -> None:
        self.rate, self.block, self.device = int(rate), int(block), device
        self._stream_factory = stream_factory
        self._lock = threading.Lock()  # held only for a block copy in the callback
        self._clips: dict[str, np.ndarray] = {name: np.zeros(0, np.float32) for name in CLIP_NAMES}
        self._current = "a"
        self._position = 0
        self._loop: tuple[int, int] | None = None
        self._playing = False
        self._stream = None
        self._scratch = np.zeros(self.block, np.float32)

    @property
    def position(self) -> int:
        return self._position

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def current(self) -> str:
        return self._current

    @property
    def loop(self) -> tuple[int, int] | None:
        return self._loop

    def set_clips(self, a: np.ndarray, b: np.ndarray | None = None) -> None:
        """Replace the clips (b optional); the position is kept where it still fits."""
        with self._lock:
            self._clips = {"a": _mono(a), "b": _mono(b if b is not None else np.zeros(0, np.float32))}
            self._position = min(self._position, self._length())
            self._loop = None

    def switch_to(self, which: str) -> None:
        """Play clip "a" or "b" from the same position (A/B comparison)."""
        if which not in CLIP_NAMES:
            raise ValueError(f"clip must be one of {CLIP_NAMES}, not {which!r}")
        with self._lock:
            self._current = which
            self._position = min(self._position, self._length())

    def seek(self, position: int) -> None:
        with self._lock:
            self._position = int(np.clip(position, 0, self._length()))

    def set_loop(self, start: int, end: int) -> None:
        """Loop samples [start, end) of the current clip; playback jumps into the loop if it is outside."""
        with self._lock:
            start, end = int(max(0, start)), int(min(end, self._length()))
            if end - start < 1:
                raise ValueError("a loop needs at least one sample inside the clip")
            self._loop = (start, end)
            if not start <= self._position < end:
                self._position = start

    def clear_loop(self) -> None:
        with self._lock:
            self._loop = None

    def play(self) -> None:
        """Start (or resume) from the current position; at the end of the clip, start over."""
        with self._lock:
            if self._position >= self._length() and self._loop is None:
                self._position = 0
            self._playing = True
        if self._stream is None:
            self._stream = self._open_stream()
            self._stream.start()

    def stop(self) -> None:
        """Stop playback and release the device; the position stays (play resumes there)."""
        self._playing = False
        stream, self._stream = self._stream, None
        if stream is not None:
            for method in ("stop", "close"):
                try:
                    getattr(stream, method)()
                except Exception:  # a device that vanished cannot be stopped; nothing to keep
                    pass

    close = stop

    def callback(self, outdata: np.ndarray, frames: int, time_info, status) -> None:
        """sounddevice output callback: copy the next block (wrapping inside the loop), silence when stopped."""
        if frames > self._scratch.size:
            self._scratch = np.zeros(frames, np.float32)
        out = self._scratch[:frames]
        with self._lock:
            filled = self._fill(out) if self._playing else 0
        out[filled:] = 0.0
        outdata[:] = out[:, None] if outdata.ndim == 2 else out

    def _fill(self, out: np.ndarray) -> int:
        clip = self._clips[self._current]
        start, end = self._loop if self._loop is not None else (0, clip.size)
        end = min(end, clip.size)  # clip b may be shorter than the loop chosen on clip a
        looping = self._loop is not None and end > start
        filled = 0
        while filled < out.size:
            count = min(end - self._position, out.size - filled)
            if count <= 0:
                if not looping:
                    self._playing = False  # reached the end: the UI sees playing == False
                    break
                self._position = start
                continue
            out[filled: filled + count] = clip[self._position: self._position + count]
            filled += count
            self._position += count
        return filled

    def _length(self) -> int:
        return self._clips[self._current].size

    def _open_stream(self):
        factory = self._stream_factory
        if factory is None:
            from ganstudio.audio.devices import stream_factory
            factory = stream_factory("output")
        kwargs = dict(samplerate=self.rate, blocksize=self.block, channels=1, dtype="float32", callback=self.callback)
        if self.device is not None:
            kwargs["device"] = self.device
        return factory(**kwargs)


def _mono(samples: np.ndarray) -> np.ndarray:
    """Clips are played as float32 mono; a (n, channels) array is mixed down."""
    samples = np.asarray(samples, np.float32)
    return samples.mean(axis=1) if samples.ndim == 2 else samples.reshape(-1)

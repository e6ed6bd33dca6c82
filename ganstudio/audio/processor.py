"""The processor protocol (what the live loop and the file framer call) and small processors for tests and benches."""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np


class Processor(Protocol):
    """A frame processor: float32 frames (n, window) → float32 frames (n, window), called with frames every `hop`."""

    window: int
    hop: int
    rate: int

    def process(self, frames: np.ndarray) -> np.ndarray: ...


class IdentityProcessor:
    """Returns its input: a lossless pass-through to test the framing and the live loop."""

    def __init__(self, window: int = 16384, hop: int = 8192, rate: int = 16000) -> None:
        self.window, self.hop, self.rate = window, hop, rate

    def process(self, frames: np.ndarray) -> np.ndarray:
        return np.asarray(frames, np.float32)


class GainProcessor(IdentityProcessor):
    """Scales by a constant gain: output = gain × input, so tests can tell processed audio from the raw input."""

    def __init__(self, gain: float = 0.5, window: int = 16384, hop: int = 8192, rate: int = 16000) -> None:
        super().__init__(window, hop, rate)
        self.gain = float(gain)

    def process(self, frames: np.ndarray) -> np.ndarray:
        return np.asarray(frames, np.float32) * np.float32(self.gain)


class BlendProcessor:
    """Blends the inner processor's output with the original frames: strength 1 = fully processed, 0 = original.

    `strength` may be set from any thread while audio runs; each batch reads it once, so a batch is never mixed.
    """

    def __init__(self, inner: Processor, strength: float = 1.0) -> None:
        self.inner = inner
        self.window, self.hop, self.rate = inner.window, inner.hop, inner.rate
        self._lock = threading.Lock()
        self._strength = 1.0
        self.strength = strength

    @property
    def strength(self) -> float:
        with self._lock:
            return self._strength

    @strength.setter
    def strength(self, value: float) -> None:
        with self._lock:
            self._strength = min(1.0, max(0.0, float(value)))

    def process(self, frames: np.ndarray) -> np.ndarray:
        strength = np.float32(self.strength)
        frames = np.asarray(frames, np.float32)
        if strength == 0.0:
            return frames.copy()  # the model is skipped altogether: no compute for the original sound
        processed = np.asarray(self.inner.process(frames), np.float32)
        return processed if strength == 1.0 else strength * processed + (1.0 - strength) * frames

"""Inference with a trained SEGAN: the processor the audio engine runs (files and live), and whole-clip denoising.

z is fixed at 0 (the prior's mean) so a clip always denoises the same way; SEGAN's generator learns to ignore z anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ganstudio.core.errors import DataError
from ganstudio.ml.networks.segan import deemphasis, emphasis, generator_stride
from ganstudio.ml.runtime import tf

RATE = 16000


class DenoiserSession:
    """A loaded denoiser behind the audio engine's processor protocol (window, hop, rate, process)."""

    def __init__(self, generator, manifest, window: int | None = None) -> None:
        self.generator, self.manifest = generator, manifest
        self.stride = generator_stride(generator)
        self.trained_window = int(manifest.config.get("window", 16384))
        self.preemphasis = float(manifest.config.get("preemphasis", 0.0))
        self.title = manifest.title
        self.rate = RATE
        self.set_window(window or self.trained_window)
        t = tf()
        z_channels = generator.inputs[1].shape[-1]
        self._run = t.function(lambda x, z: generator([x, z], training=False), reduce_retracing=True)
        self._z_channels = z_channels

    @classmethod
    def load(cls, model_dir: str | Path, window: int | None = None) -> DenoiserSession:
        from ganstudio.ml.modelfile import load_model

        generator, manifest = load_model(Path(model_dir), kind="denoiser")
        return cls(generator, manifest, window)

    def set_window(self, window: int) -> None:
        """Frame length in samples (a multiple of the network's stride); hop = half of it (50% overlap-add)."""
        if window < self.stride or window % self.stride:
            raise DataError(f"A window of {window} samples does not fit this model.",
                            f"Use a multiple of {self.stride} samples (e.g. {self.trained_window}).")
        self.window, self.hop = int(window), int(window) // 2

    def process(self, frames: np.ndarray) -> np.ndarray:
        """(n, window) float32 → (n, window) float32 enhanced."""
        x = emphasis(np.asarray(frames, np.float32), self.preemphasis)
        z = np.zeros((x.shape[0], x.shape[1] // self.stride, self._z_channels), np.float32)
        out = self._run(tf().constant(x[..., None]), tf().constant(z)).numpy()[..., 0]
        return deemphasis(out, self.preemphasis)

    def denoise(self, samples: np.ndarray, progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> np.ndarray:
        """A whole clip (float32 mono 16 kHz) → the denoised clip, same length, aligned."""
        from ganstudio.core.speech.framing import process_signal

        return process_signal(np.asarray(samples, np.float32), self, progress=progress, cancel=cancel)

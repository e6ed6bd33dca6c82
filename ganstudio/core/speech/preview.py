"""The SEGAN training preview: one row per validation clip, spectrograms noisy | enhanced | clean, as one RGB image."""

from __future__ import annotations

import numpy as np

from ganstudio.core.grid import tile
from ganstudio.core.speech.spectrogram import log_spectrogram, spectrogram_image

RATE = 16000


def _picture(samples: np.ndarray) -> np.ndarray:
    """(bins, frames, 3) uint8, a warm colour map so quiet (noise-free) regions read black."""
    grey = spectrogram_image(log_spectrogram(samples, RATE, n_fft=256, hop=128)).astype(np.float32) / 255.0
    rgb = np.stack([np.clip(1.8 * grey, 0, 1), np.clip(1.8 * grey - 0.5, 0, 1), np.clip(3 * grey - 2, 0, 1)], -1)
    return (rgb * 255).astype(np.uint8)


def spectrogram_rows(noisy: np.ndarray, enhanced: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """Inputs (N, samples) float32 → uint8 grid of N rows × 3 columns (noisy, enhanced, clean)."""
    panels = [_picture(x) for row in zip(noisy, enhanced, clean) for x in row]
    return tile(np.stack(panels), pad=3, pad_value=255, columns=3)

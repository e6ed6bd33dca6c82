"""Display data for an audio clip, computed off the GUI thread: a min/max waveform envelope and a spectrogram image
of bounded size, so an hour-long clip draws as fast as a short one."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganstudio.core.speech.spectrogram import log_spectrogram, spectrogram_image

MAX_COLUMNS = 4000  # envelope buckets / spectrogram frames: about two per pixel of a wide screen
N_FFT = 512  # 32 ms at 16 kHz: the usual speech analysis frame
MIN_HOP = 128


@dataclass(frozen=True)
class ClipDisplay:
    """What the views draw: the waveform curve (x in seconds) and a spectrogram placed by its rectangle."""

    times: np.ndarray  # float64 seconds
    values: np.ndarray  # float32; for long clips alternating bucket minimum and maximum
    image: np.ndarray  # uint8 (bins, frames), row 0 the LOWEST frequency (pyqtgraph draws row 0 at the bottom)
    rect: tuple[float, float, float, float]  # x, y, width, height of the image in seconds and Hz
    duration: float
    rate: int


def waveform_envelope(samples: np.ndarray, rate: int, columns: int = MAX_COLUMNS) -> tuple[np.ndarray, np.ndarray]:
    """Short clips as they are; long ones as per-bucket (min, max) pairs drawn as vertical strokes, which keeps
    every peak visible (a plain subsample would hide clicks between the kept samples)."""
    samples = np.asarray(samples, np.float32).reshape(-1)
    n = samples.size
    if n <= 2 * columns:
        return np.arange(n) / rate, samples
    bucket = math.ceil(n / columns)
    blocks = np.pad(samples, (0, -n % bucket), mode="edge").reshape(-1, bucket)
    starts = np.arange(blocks.shape[0]) * bucket / rate
    times = np.repeat(starts + 0.5 * bucket / rate, 2)
    values = np.column_stack([blocks.min(axis=1), blocks.max(axis=1)]).reshape(-1)
    return times, values


def display_spectrogram(samples: np.ndarray, rate: int, columns: int = MAX_COLUMNS,
                        ) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """A uint8 spectrogram of at most `columns` frames (a longer hop for long clips) and its rectangle."""
    samples = np.asarray(samples, np.float32).reshape(-1)
    hop = max(MIN_HOP, math.ceil(samples.size / columns))
    image = spectrogram_image(log_spectrogram(samples, rate, n_fft=N_FFT, hop=hop))[::-1]
    bins, frames = image.shape
    bin_hz = rate / N_FFT
    # frame i is centred on i·hop samples and bin k on k·bin_hz: each pixel is centred on what it describes
    rect = (-0.5 * hop / rate, -0.5 * bin_hz, frames * hop / rate, bins * bin_hz)
    return np.ascontiguousarray(image), rect


def clip_display(samples: np.ndarray, rate: int, columns: int = MAX_COLUMNS) -> ClipDisplay:
    times, values = waveform_envelope(samples, rate, columns)
    image, rect = display_spectrogram(samples, rate, columns)
    return ClipDisplay(times, values, image, rect, len(samples) / rate, int(rate))

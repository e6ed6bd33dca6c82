"""Log-magnitude spectrograms for display: dB relative to full scale, vectorised so an hour of audio stays fast."""

from __future__ import annotations

import numpy as np

FLOOR_DB = -100.0
_CHUNK_FRAMES = 4096  # frames transformed at once: bounds the temporary (frames, n_fft) array to a few MB


def log_spectrogram(samples: np.ndarray, rate: int, n_fft: int = 512, hop: int = 128) -> np.ndarray:
    """float32 (frames, n_fft // 2 + 1) in dBFS: a full-scale sine reads 0 dB, floored at -100 dB.

    Frames are Hann-windowed and centred on multiples of `hop` (frame i describes time i·hop / rate), with zeros
    beyond the clip's ends, so the spectrogram lines up with the waveform.
    """
    del rate  # the dB values do not depend on it; kept so callers state the rate the axes are for
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    n_frames = len(samples) // hop + 1 if len(samples) else 0
    padded = np.pad(samples, (n_fft // 2, n_fft // 2 + hop))
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop][:n_frames]
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)  # periodic Hann
    scale = 2.0 / window.sum()  # a full-scale sine's peak bin then has magnitude 1
    out = np.empty((n_frames, n_fft // 2 + 1), dtype=np.float32)
    for start in range(0, n_frames, _CHUNK_FRAMES):
        spectrum = np.fft.rfft(frames[start:start + _CHUNK_FRAMES] * window, axis=1)
        magnitude = np.abs(spectrum) * scale
        # Clip in dB, not in magnitude: float32 log10 of the floor magnitude is not exactly FLOOR_DB / 20 on every
        # CPU's vector code, and silence must read exactly FLOOR_DB.
        decibels = 20.0 * np.log10(np.maximum(magnitude, 10 ** (FLOOR_DB / 20) / 2))
        out[start:start + _CHUNK_FRAMES] = np.maximum(decibels, FLOOR_DB)
    return out


def spectrogram_axes(n_frames: int, rate: int, n_fft: int = 512, hop: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """(frame times in seconds, bin frequencies in Hz) of a `log_spectrogram` result."""
    return np.arange(n_frames) * hop / rate, np.fft.rfftfreq(n_fft, 1.0 / rate)


def spectrogram_image(db: np.ndarray, floor_db: float = -80.0, ceil_db: float = 0.0) -> np.ndarray:
    """uint8 (bins, frames), row-major with row 0 the highest frequency, so low frequencies are at the bottom.

    A fixed range (not the clip's own maximum) keeps two spectrograms comparable: quieter reads darker.
    """
    levels = (np.asarray(db, dtype=np.float32).T[::-1] - floor_db) * (255.0 / (ceil_db - floor_db))
    return np.clip(np.rint(levels), 0, 255).astype(np.uint8)

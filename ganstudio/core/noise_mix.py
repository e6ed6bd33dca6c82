"""Mixing speech and noise at a chosen SNR, and the synthetic noises (white, pink, brown, mains hum, babble).

Used by the speech corpus builder, by on-the-fly training mixtures and by the Denoise page's "Add noise…".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SYNTHETIC_NOISES = ("white", "pink", "brown", "hum")  # babble needs speech: see babble()
_EPS = 1e-12


def power(x: np.ndarray) -> float:
    return float(np.mean(np.square(x, dtype=np.float64)))


def mix_at_snr(clean: np.ndarray, noise: np.ndarray, snr_db: float, peak: float = 0.99) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, scaled clean): noise scaled so 10·log10(P_clean / P_noise) = snr_db, looped or cut to the clean length.

    When the sum would clip, both are scaled down together so the SNR (and the pair's alignment) stays exact.
    """
    noise = fit_length(noise, len(clean))
    gain = np.sqrt(power(clean) / max(power(noise), _EPS) / 10.0 ** (snr_db / 10.0))
    noisy = clean + gain * noise
    top = float(np.max(np.abs(noisy))) if len(noisy) else 0.0
    scale = peak / top if top > peak else 1.0
    return (noisy * scale).astype(np.float32), (clean * scale).astype(np.float32)


def fit_length(x: np.ndarray, length: int) -> np.ndarray:
    """x looped (or cut) to exactly `length` samples."""
    if len(x) == 0:
        raise ValueError("cannot fit an empty signal")
    reps = -(-length // len(x))
    return np.tile(x, reps)[:length] if reps > 1 else x[:length]


def synthetic_noise(kind: str, length: int, rng: np.random.Generator, rate: int = 16000) -> np.ndarray:
    """Unit-power noise of a named colour, or mains hum (50 or 60 Hz with odd harmonics and a little hiss)."""
    if kind == "white":
        x = rng.standard_normal(length)
    elif kind in ("pink", "brown"):
        x = _coloured(length, 1.0 if kind == "pink" else 2.0, rng)
    elif kind == "hum":
        x = _hum(length, rng, rate)
    else:
        raise ValueError(f"unknown noise {kind!r}; known: {', '.join(SYNTHETIC_NOISES)}, babble")
    return (x / np.sqrt(max(power(x), _EPS))).astype(np.float32)


def _coloured(length: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Power spectral density ∝ 1/f^exponent, shaped in the frequency domain (no DC)."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    spectrum *= f ** (-exponent / 2.0)
    spectrum[0] = 0.0
    return np.fft.irfft(spectrum, n=length)


def _hum(length: int, rng: np.random.Generator, rate: int) -> np.ndarray:
    t = np.arange(length) / rate
    mains = rng.choice([50.0, 60.0])
    x = sum(np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 2 * np.pi)) / k for k in (1, 3, 5, 7))
    return x + 0.05 * rng.standard_normal(length)


def babble(utterances: Sequence[np.ndarray], length: int, rng: np.random.Generator, talkers: int | None = None) -> np.ndarray:
    """Unit-power babble: 5–8 talkers (random utterances at random offsets, looped) summed at equal power."""
    talkers = talkers or int(rng.integers(5, 9))
    picks = rng.choice(len(utterances), size=min(talkers, len(utterances)), replace=False)
    out = np.zeros(length, np.float64)
    for i in picks:
        voice = fit_length(np.roll(utterances[i], int(rng.integers(len(utterances[i])))), length)
        out += voice / np.sqrt(max(power(voice), _EPS))
    return (out / np.sqrt(max(power(out), _EPS))).astype(np.float32)

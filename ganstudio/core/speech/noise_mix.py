"""Mixing speech and noise at a chosen SNR, and the synthetic noises (white, pink, brown, mains hum, fan, babble).

Used by the speech corpus builder, by on-the-fly training mixtures and by the Denoise page's "Add noise…".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SYNTHETIC_NOISES = ("white", "pink", "brown", "hum")  # the corpus's training noises; babble needs speech: see babble()
# What "Add noise" offers: also a room fan, which the corpus never trained on (it stays out of SYNTHETIC_NOISES so the
# corpus, built from one seed, stays what it was).
TEST_NOISES = (*SYNTHETIC_NOISES, "fan")
_EPS = 1e-12


def power(x: np.ndarray) -> float:
    return float(np.mean(np.square(x, dtype=np.float64)))


def mix_at_snr(clean: np.ndarray, noise: np.ndarray, snr_db: float, peak: float = 0.99,
               clean_power: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, scaled clean): noise scaled so 10·log10(P_clean / P_noise) = snr_db, looped or cut to the clean length.

    When the sum would clip, both are scaled down together so the SNR (and the pair's alignment) stays exact.
    `clean_power`: the power of the whole utterance when `clean` is a piece of it (the SNR stays the utterance's, so
    a piece that is mostly pause gets the noise level the whole utterance would).
    """
    noise = fit_length(noise, len(clean))
    reference = power(clean) if clean_power is None else clean_power
    gain = np.sqrt(reference / max(power(noise), _EPS) / 10.0 ** (snr_db / 10.0))
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
    """Unit-power noise of a named colour, mains hum (50 or 60 Hz with odd harmonics and a little hiss) or a fan."""
    if kind == "white":
        x = rng.standard_normal(length)
    elif kind in ("pink", "brown"):
        x = _coloured(length, 1.0 if kind == "pink" else 2.0, rng)
    elif kind == "hum":
        x = _hum(length, rng, rate)
    elif kind == "fan":
        x = _fan(length, rng, rate)
    else:
        raise ValueError(f"unknown noise {kind!r}; known: {', '.join(TEST_NOISES)}, babble")
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


def _fan(length: int, rng: np.random.Generator, rate: int) -> np.ndarray:
    """A running fan: airflow rumble (between pink and brown, little above 4 kHz), the blade-pass tone and its
    harmonics (3–5 blades at 15–25 rev/s), and the slow beat of the airflow (0.5–2 Hz)."""
    t = np.arange(length) / rate
    spectrum = np.fft.rfft(rng.standard_normal(length))
    f = np.fft.rfftfreq(length, 1.0 / rate)
    spectrum *= np.maximum(f, 20.0) ** -0.75 / (1.0 + (f / 4000.0) ** 4)
    spectrum[0] = 0.0
    air = np.fft.irfft(spectrum, n=length)
    air /= np.sqrt(max(power(air), _EPS))
    blade_pass = rng.integers(3, 6) * rng.uniform(15.0, 25.0)
    tones = sum(np.sin(2 * np.pi * blade_pass * k * t + rng.uniform(0, 2 * np.pi)) / k ** 1.5 for k in (1, 2, 3, 4))
    beat = 1.0 + 0.15 * np.sin(2 * np.pi * rng.uniform(0.5, 2.0) * t)
    return beat * (air + 0.4 * tones / np.sqrt(max(power(tones), _EPS)))


def babble(utterances: Sequence[np.ndarray], length: int, rng: np.random.Generator, talkers: int | None = None) -> np.ndarray:
    """Unit-power babble: 5–8 talkers (random utterances at random offsets, looped) summed at equal power."""
    talkers = talkers or int(rng.integers(5, 9))
    picks = rng.choice(len(utterances), size=min(talkers, len(utterances)), replace=False)
    out = np.zeros(length, np.float64)
    for i in picks:
        voice = fit_length(np.roll(utterances[i], int(rng.integers(len(utterances[i])))), length)
        out += voice / np.sqrt(max(power(voice), _EPS))
    return (out / np.sqrt(max(power(out), _EPS))).astype(np.float32)


def varied_noise(noises: Sequence[np.ndarray], length: int, rng: np.random.Generator) -> np.ndarray:
    """A noise for one training mixture, made unlike any single recording: a random stretch of a random recording,
    sped up or slowed down (0.7–1.4×: every frequency moves), given a random spectral tilt and a resonance, sometimes
    mixed with a second recording, sometimes replaced by stationary noise of a random colour.

    Why: a corpus holds tens of noises and a denoiser learns them by heart; on noises it never heard (the held-out
    test set, a user's room) it then removes speech along with what it takes for noise. Many variants of each
    recording keep it learning what noise is rather than which noises there were. A function of `rng` alone, so a
    training step's batch is the same on every resume.
    """
    if rng.random() < 0.2:
        return _coloured(length, rng.uniform(0.0, 2.0), rng).astype(np.float32)
    out = _stretch(_random_piece(noises, length, rng), length, rng)
    if rng.random() < 0.3:
        other = _stretch(_random_piece(noises, length, rng), length, rng)
        out = out / np.sqrt(max(power(out), _EPS)) + 10.0 ** (rng.uniform(-10.0, 0.0) / 20.0) * other / np.sqrt(
            max(power(other), _EPS))
    return _equalise(out, rng).astype(np.float32)


def _random_piece(noises: Sequence[np.ndarray], length: int, rng: np.random.Generator) -> np.ndarray:
    """`length` × up to 1.4 samples of a random recording from a random offset, looped if it is shorter."""
    noise = noises[int(rng.integers(len(noises)))]
    need = int(np.ceil(length * 1.4)) + 2
    return fit_length(np.roll(noise, -int(rng.integers(len(noise)))), need)


def _stretch(piece: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
    """Played back at a random speed in 0.7–1.4× (linear interpolation; half the time unchanged)."""
    if rng.random() < 0.5:
        return piece[:length]
    speed = float(np.exp(rng.uniform(np.log(0.7), np.log(1.4))))
    return np.interp(np.arange(length) * speed, np.arange(len(piece)), piece)


def _equalise(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random tilt (±6 dB per decade) and a ±12 dB resonance somewhere in 100 Hz–6 kHz (at 16 kHz)."""
    spectrum = np.fft.rfft(x)
    f = np.maximum(np.fft.rfftfreq(len(x), 1.0 / 16000.0), 20.0)
    gain_db = rng.uniform(-6.0, 6.0) * np.log10(f / 1000.0)
    centre, width = rng.uniform(np.log(100.0), np.log(6000.0)), rng.uniform(0.2, 1.0)
    gain_db += rng.uniform(-12.0, 12.0) * np.exp(-0.5 * ((np.log(f) - centre) / width) ** 2)
    return np.fft.irfft(spectrum * 10.0 ** (gain_db / 20.0), n=len(x))

"""Speech scores: SNR and segmental SNR against values worked out by hand (the standard SSNR, not the book's), and
PESQ-wb / STOI ranking a cleaner estimate above a noisier one. `voiced_signal` is shared with test_spectral_gate."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.errors import DataError
from ganstudio.core.speech.metrics import (pesq_wb, segmental_snr_db, snr_db, speech_scores, stoi_score)

RATE = 16000


def voiced_signal(seconds: float = 3.0, rate: int = RATE, seed: int = 0) -> np.ndarray:
    """Speech-like test signal: a gliding 105–155 Hz pitch with 1/k harmonics up to 7.2 kHz, in syllable bursts
    separated by pauses (so silence handling and noise estimation have something to find)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(rate * seconds)) / rate
    pitch = 130 + 25 * np.sin(2 * np.pi * 0.8 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    voice = sum(np.sin(k * phase + rng.uniform(0, 2 * np.pi)) / k * (k * pitch < 0.45 * rate) for k in range(1, 60))
    syllables = np.sin(np.pi * 3.0 * t) ** 2 * ((t % 1.0) < 0.67)
    signal = voice * syllables
    return (0.5 * signal / np.abs(signal).max()).astype(np.float32)


def noise_at_snr(clean: np.ndarray, snr: float, seed: int = 1) -> np.ndarray:
    """White noise scaled so that clean + noise has exactly `snr` dB over the whole clip."""
    noise = np.random.default_rng(seed).standard_normal(len(clean))
    return noise * np.sqrt(np.sum(clean.astype(np.float64) ** 2) / np.sum(noise ** 2) / 10 ** (snr / 10))


def test_snr_of_an_estimate_with_noise_at_exactly_10_db_is_10():
    clean = voiced_signal(1.0)
    assert snr_db(clean, clean + noise_at_snr(clean, 10.0)) == pytest.approx(10.0, abs=1e-9)
    assert snr_db(clean, clean + noise_at_snr(clean, -3.0)) == pytest.approx(-3.0, abs=1e-9)
    assert snr_db(clean, clean) == float("inf")


def framewise_noise(clean: np.ndarray, frame: int, snr: float) -> np.ndarray:
    """Noise scaled frame by frame so that every frame has exactly `snr` dB."""
    noise = np.random.default_rng(2).standard_normal(len(clean))
    for start in range(0, len(clean), frame):
        part = slice(start, start + frame)
        noise[part] *= np.sqrt(np.sum(clean[part] ** 2) / np.sum(noise[part] ** 2) / 10 ** (snr / 10))
    return noise


def test_segmental_snr_is_the_mean_of_per_frame_snrs():
    clean = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(3200) / RATE)  # ten 20 ms frames of 320 samples
    assert segmental_snr_db(clean, clean + framewise_noise(clean, 320, 10.0), RATE) == pytest.approx(10.0)
    mixed = np.concatenate([framewise_noise(clean[:1600], 160, 0.0), framewise_noise(clean[1600:], 160, 20.0)])
    assert segmental_snr_db(clean, clean + mixed, RATE) == pytest.approx(10.0)  # (5·0 + 5·20) / 10
    assert segmental_snr_db(clean, clean + mixed, RATE, frame_ms=10) == pytest.approx(10.0)


def test_segmental_snr_clamps_each_frame_to_minus_10_and_35_db():
    clean = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(3200) / RATE)
    assert segmental_snr_db(clean, clean, RATE) == pytest.approx(35.0)
    assert segmental_snr_db(clean, -10 * clean, RATE) == pytest.approx(-10.0)  # error 11·c: -20.8 dB, clamped
    half_perfect = np.concatenate([clean[:1600], -10 * clean[1600:]])
    assert segmental_snr_db(clean, half_perfect, RATE) == pytest.approx((35.0 - 10.0) / 2)


def test_segmental_snr_skips_the_pauses_of_the_clean_speech():
    speech = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(1600) / RATE)
    clean = np.concatenate([speech, np.zeros(1600)])
    estimate = clean + np.concatenate([framewise_noise(speech, 320, 10.0), np.full(1600, 0.5)])
    assert segmental_snr_db(clean, estimate, RATE) == pytest.approx(10.0)  # the pause's loud error is not counted
    assert snr_db(clean, estimate) < 0.0  # whereas the global SNR counts it


def test_segmental_snr_pads_the_last_partial_frame_up_to_a_whole_frame():
    clean = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(3300) / RATE)  # ten frames and 100 samples
    noise = np.concatenate([framewise_noise(clean[:3200], 320, 10.0), np.zeros(100)])
    assert segmental_snr_db(clean, clean + noise, RATE) == pytest.approx((10 * 10.0 + 35.0) / 11)


def test_lengths_are_trimmed_within_1_percent_and_refused_beyond():
    clean = voiced_signal(1.0)
    assert snr_db(clean, np.concatenate([clean, np.ones(100)])) == float("inf")
    with pytest.raises(DataError, match="differ in length"):
        snr_db(clean, clean[:-200])
    with pytest.raises(DataError, match="silent"):
        segmental_snr_db(np.zeros(1000), np.ones(1000), RATE)
    with pytest.raises(DataError, match="empty"):
        snr_db(np.zeros(0), np.zeros(0))


def test_pesq_and_stoi_rank_a_cleaner_estimate_higher():
    clean = voiced_signal()
    noisy, cleaner = clean + noise_at_snr(clean, 0.0), clean + noise_at_snr(clean, 30.0)
    pesq_noisy, pesq_cleaner = pesq_wb(clean, noisy), pesq_wb(clean, cleaner)  # measured 1.08 and 2.23
    assert 1.0 <= pesq_noisy < pesq_cleaner - 0.8 and pesq_wb(clean, clean) > 4.5
    stoi_noisy, stoi_cleaner = stoi_score(clean, noisy, RATE), stoi_score(clean, cleaner, RATE)
    assert 0.5 < stoi_noisy < stoi_cleaner - 0.1 and stoi_score(clean, clean, RATE) == pytest.approx(1.0)


def test_pesq_accepts_other_rates_by_resampling():
    clean = voiced_signal(rate=8000)
    score = pesq_wb(clean, clean + noise_at_snr(clean, 10.0), rate=8000)
    assert 1.0 < score < pesq_wb(clean, clean, rate=8000)


def test_too_short_clips_give_a_data_error_with_a_hint():
    clean = voiced_signal(0.1)
    for score in (lambda: pesq_wb(clean, clean), lambda: stoi_score(clean, clean, RATE)):
        with pytest.raises(DataError) as caught:
            score()
        assert "longer clip" in caught.value.hint


def test_speech_scores_bundles_all_four_on_aligned_clips():
    clean = voiced_signal()
    estimate = np.concatenate([clean + noise_at_snr(clean, 10.0), np.zeros(50)])
    scores = speech_scores(clean, estimate, RATE)
    assert list(scores) == ["snr_db", "ssnr_db", "pesq_wb", "stoi"]
    trimmed = estimate[:len(clean)]
    assert scores["snr_db"] == pytest.approx(10.0)
    assert scores["ssnr_db"] == segmental_snr_db(clean, trimmed, RATE)
    assert scores["pesq_wb"] == pesq_wb(clean, trimmed) and scores["stoi"] == stoi_score(clean, trimmed, RATE)

"""Speech data sets: layout detection, loading, deterministic on-the-fly mixtures and pairs, bad folders; noise mixing."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.errors import DataError
from ganstudio.core.speech.noise_mix import babble, mix_at_snr, power, synthetic_noise
from ganstudio.core.speech.data import SpeechBatches, detect_speech, load_speech
from speech_fixtures import voiced, write_mix_set, write_pair_set


def test_layouts_are_recognised_by_their_folders(tmp_path):
    assert detect_speech(write_mix_set(tmp_path / "corpus")).kind == "mix"
    assert detect_speech(write_mix_set(tmp_path / "corpus")).validation is not None
    assert detect_speech(write_pair_set(tmp_path / "pairs")).kind == "pairs"
    vb = write_pair_set(tmp_path / "vb", clean_dir="clean_trainset_wav", noisy_dir="noisy_trainset_wav")
    assert detect_speech(vb).kind == "pairs"
    (tmp_path / "photos").mkdir()
    assert detect_speech(tmp_path / "photos") is None


def test_mixtures_hit_the_drawn_snr_and_are_a_pure_function_of_the_step(tmp_path):
    root = write_mix_set(tmp_path / "corpus", seconds=0.5)
    data = load_speech(root, window=4096, batch_size=3, seed=1, snr_range=(10.0, 10.0))
    batch = data.sampler.batch(5)
    assert batch.shape == (3, 4096, 2) and batch.dtype == np.float32
    again = load_speech(root, window=4096, batch_size=3, seed=1, snr_range=(10.0, 10.0)).sampler.batch(5)
    np.testing.assert_array_equal(batch, again)
    assert not np.array_equal(batch, data.sampler.batch(6))
    big = SpeechBatches([voiced(0.25)], data.sampler.other, "mix", 4096, 1, 0, (10.0, 10.0)).batch(0)[0]
    clean, noisy = big[..., 0], big[..., 1]  # the whole utterance fits the window: SNR measurable exactly
    assert 10 * np.log10(power(clean) / power(noisy - clean)) == pytest.approx(10.0, abs=0.01)
    assert data.validation.shape == (2, 32768, 2)  # preview clips: whole windows, about 2 s


def test_varied_noises_are_new_each_time_yet_a_function_of_the_step_and_keep_the_snr(tmp_path):
    from ganstudio.core.speech.noise_mix import varied_noise

    tone = np.sin(2 * np.pi * 500 * np.arange(8000) / 16000).astype(np.float32)  # one recording: a 500 Hz tone
    variants = [varied_noise([tone], 4096, np.random.default_rng(k)) for k in range(40)]
    assert all(v.shape == (4096,) and np.isfinite(v).all() for v in variants)
    np.testing.assert_array_equal(variants[3], varied_noise([tone], 4096, np.random.default_rng(3)))
    peaks = {int(np.argmax(np.abs(np.fft.rfft(v)))) * 16000 // 4096 for v in variants}
    assert len(peaks) > 10 and any(p < 450 for p in peaks) and any(p > 550 for p in peaks)  # sped up and slowed down
    # Longer than the window, so the SNR is the whole utterance's; aperiodic, so the window's offset can be found.
    utterance = (0.1 * np.random.default_rng(5).standard_normal(16000)).astype(np.float32)
    batches = SpeechBatches([utterance], [tone], "mix", 4096, 4, 0, (5.0, 5.0), vary_noise=True)
    batch = batches.batch(2)
    np.testing.assert_array_equal(batch, SpeechBatches([utterance], [tone], "mix", 4096, 4, 0, (5.0, 5.0),
                                                       vary_noise=True).batch(2))
    for clean, noisy in zip(batch[..., 0], batch[..., 1]):
        start = int(np.argmax(np.correlate(utterance, clean, "valid")))  # where the window was cut
        piece = utterance[start:start + 4096]
        level = float(np.dot(clean, piece) / np.dot(piece, piece))  # the level augmentation, the same for both
        measured = 10 * np.log10(power(utterance) * level ** 2 / power(noisy - clean))
        assert measured == pytest.approx(5.0, abs=0.05)


def test_pairs_are_cropped_at_the_same_offset(tmp_path):
    data = load_speech(write_pair_set(tmp_path / "pairs", seconds=0.5), 1024, 2, 0, (0, 15))
    batch = data.sampler.batch(0)
    residual = batch[..., 1] - batch[..., 0]  # aligned crops leave only the added white noise
    assert np.std(residual) == pytest.approx(0.05, rel=0.2)


def test_bad_speech_folders_say_what_is_wrong(tmp_path):
    root = write_pair_set(tmp_path / "pairs", names=("a", "b", "c"))
    (root / "noisy" / "c.wav").unlink()
    (root / "clean" / "broken.wav").write_bytes(b"not audio")
    data = load_speech(root, 1024, 2, 0, (0, 15))
    assert len(data) == 2
    assert any("c.wav" in s and "no noisy file" in s for s in data.skipped)
    assert any("broken.wav" in s for s in data.skipped)
    with pytest.raises(DataError, match="fewer than one batch"):
        load_speech(root, 1024, 8, 0, (0, 15))
    with pytest.raises(DataError, match="not a speech data set"):
        load_speech(tmp_path, 1024, 2, 0, (0, 15))


def test_mix_at_snr_is_exact_and_keeps_it_when_scaling_down_to_avoid_clipping():
    rng = np.random.default_rng(0)
    clean, noise = voiced(1.0), rng.standard_normal(8000).astype(np.float32)
    for snr in (0.0, 7.5, 15.0):
        noisy, scaled = mix_at_snr(clean, noise, snr)
        assert 10 * np.log10(power(scaled) / power(noisy - scaled)) == pytest.approx(snr, abs=1e-3)
    loud_noisy, loud_clean = mix_at_snr(clean * 3, noise, 0.0)
    assert np.abs(loud_noisy).max() <= 0.99 + 1e-6
    assert 10 * np.log10(power(loud_clean) / power(loud_noisy - loud_clean)) == pytest.approx(0.0, abs=1e-3)


def test_synthetic_noises_have_unit_power_and_their_colour():
    rng = np.random.default_rng(0)
    n = 16000 * 4
    spectra = {}
    for kind in ("white", "pink", "brown", "hum", "fan"):
        x = synthetic_noise(kind, n, rng)
        assert power(x) == pytest.approx(1.0, rel=1e-3)
        spectra[kind] = np.abs(np.fft.rfft(x)) ** 2
    low, high = slice(40, 400), slice(8000, 16000)  # 10–100 Hz vs 2–4 kHz (bins are 0.25 Hz)
    ratio = {k: s[low].mean() / s[high].mean() for k, s in spectra.items()}
    assert ratio["white"] == pytest.approx(1.0, rel=0.3)
    assert 10 < ratio["pink"] < ratio["brown"]
    assert np.argmax(spectra["hum"]) in (50 * 4, 60 * 4)  # the mains fundamental dominates
    assert 45 * 4 <= np.argmax(spectra["fan"]) <= 125 * 4  # the blade-pass tone of 3–5 blades at 15–25 rev/s
    assert ratio["fan"] > 10 * ratio["white"] and spectra["fan"][24000:].mean() < spectra["fan"][high].mean() / 10
    talk = babble([voiced(1.0, f) for f in (100, 130, 170, 210, 260, 300)], n, rng)
    assert power(talk) == pytest.approx(1.0, rel=1e-3)
    with pytest.raises(ValueError, match="unknown noise"):
        synthetic_noise("purple", 10, rng)

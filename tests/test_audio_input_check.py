"""Bad samples in an input file (issue 13, item 3): NaN/Inf in float audio are repaired and counted on both reading
paths (whole file and block by block, at 16 kHz and through the resampler), far-beyond-full-scale float files and
files cut short are noted."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from ganstudio.core.speech.audio_files import iter_audio_blocks, read_audio
from ganstudio.core.speech.input_check import InputCheck, repair_nonfinite, truncation_note


def speechy(rate: int, seconds: float = 2.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def with_bad_samples(samples: np.ndarray) -> np.ndarray:
    bad = samples.copy()
    bad[[1000, 1001, 9000]] = np.nan
    bad[15000], bad[20000] = np.inf, -np.inf
    return bad


@pytest.mark.parametrize("rate", [16000, 32000])
def test_nan_and_inf_are_repaired_and_counted_whole_and_streamed(tmp_path, rate):
    path = tmp_path / "bad.wav"
    soundfile.write(str(path), with_bad_samples(speechy(rate)), rate, subtype="FLOAT")
    clip = read_audio(path)
    check = InputCheck()
    streamed = np.concatenate(list(iter_audio_blocks(path, block_seconds=0.5, check=check)))
    for samples in (clip.samples, streamed):
        assert np.isfinite(samples).all()
    np.testing.assert_allclose(streamed, clip.samples, atol=1e-6)  # the two paths repair alike
    assert check.repaired == 5
    assert any(note.startswith("Repaired 5 samples that were not a number") for note in clip.notes)
    assert [n for n in check.notes() if n.startswith("Repaired")] == [n for n in clip.notes if n.startswith("Repaired")]
    soundfile.write(str(tmp_path / "clean.wav"), speechy(rate), rate, subtype="FLOAT")
    clean = read_audio(tmp_path / "clean.wav")
    far = np.abs(clip.samples - clean.samples) > 1e-3  # only the neighbourhood of the repaired samples differs
    assert far.sum() < (10 if rate == 16000 else 200)


def test_the_repair_is_the_one_the_save_uses():
    repaired, count = repair_nonfinite(np.array([0.5, np.nan, np.inf, -np.inf], np.float32))
    assert count == 3 and repaired.tolist() == [0.5, 0.0, 1.0, -1.0]
    assert repair_nonfinite(np.array([0.25, -0.5], np.float32))[1] == 0


def test_a_float_file_far_beyond_full_scale_is_called_so_even_when_few_samples_clip(tmp_path):
    samples = speechy(16000)
    samples[5000] = 40.0  # one wild sample: too few to count as clipping, still a file saved with the wrong scale
    soundfile.write(str(tmp_path / "wild.wav"), samples, 16000, subtype="FLOAT")
    notes = read_audio(tmp_path / "wild.wav").notes
    assert len(notes) == 1 and "40 times full scale" in notes[0] and "+32 dBFS" in notes[0]
    soundfile.write(str(tmp_path / "integers.wav"), samples * 32767 / 40, 16000, subtype="FLOAT")
    check = InputCheck()
    list(iter_audio_blocks(tmp_path / "integers.wav", check=check))
    assert any("wrong scale" in note for note in check.notes())
    assert any("clipped" in note for note in check.notes())
    hot = speechy(16000)
    hot[100] = 1.2  # a little over: cut, and said so, without the wrong-scale guess
    soundfile.write(str(tmp_path / "hot.wav"), hot, 16000, subtype="FLOAT")
    assert read_audio(tmp_path / "hot.wav").notes == [
        "A few samples above full scale (up to +1.6 dBFS) were cut to [-1, 1]."]


@pytest.mark.parametrize("subtype", ["PCM_16", "FLOAT"])
def test_a_wav_cut_short_is_noted(tmp_path, subtype):
    path = tmp_path / "cut.wav"
    soundfile.write(str(path), speechy(16000, 4.0), 16000, subtype=subtype)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 4)  # a copy that stopped a quarter of the way
    notes = read_audio(path).notes
    assert len(notes) == 1 and notes[0].startswith("The file is cut short: its header promises 4.0 s but only 1.0 s")
    assert truncation_note(soundfile.info(str(path))) == notes[0]
    soundfile.write(str(tmp_path / "whole.wav"), speechy(16000, 4.0), 16000, subtype=subtype)
    assert truncation_note(soundfile.info(str(tmp_path / "whole.wav"))) is None

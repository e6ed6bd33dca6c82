"""Audio file reading (every bit depth, rate, channel count and container the Denoise page accepts), resampling,
streaming of long files, atomic saving, and clear errors for files that are not usable audio."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest
import soundfile

from ganstudio.core.speech.audio_files import (AudioClip, audio_duration, iter_audio_blocks, read_audio, resample,
                                        write_audio)
from ganstudio.core.errors import DataError, StudioError


def tone(rate: int, seconds: float = 1.0, freq: float = 1000.0, amplitude: float = 0.5) -> np.ndarray:
    return amplitude * np.sin(2 * np.pi * freq * np.arange(int(rate * seconds)) / rate)


def write_fixture(path, samples, rate, subtype, channels=1):
    data = np.stack([samples] * channels, axis=1) if channels > 1 else samples
    soundfile.write(str(path), data, rate, subtype=subtype)
    return path


def peak_frequency_and_amplitude(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """Frequency of the strongest component and its amplitude, from the steady middle of the clip."""
    middle = samples[len(samples) // 4: 3 * len(samples) // 4].astype(np.float64)
    window = np.hanning(len(middle))
    spectrum = np.abs(np.fft.rfft(middle * window)) * 2 / window.sum()
    peak = int(np.argmax(spectrum))
    return peak * rate / len(middle), float(spectrum[peak])


FORMATS = [  # (file name, subtype, rate, channels, source_format, amplitude tolerance)
    ("u8.wav", "PCM_U8", 44100, 1, "WAV PCM_U8", 0.02),
    ("s16.wav", "PCM_16", 16000, 1, "WAV PCM_16", 0.01),
    ("s24.wav", "PCM_24", 48000, 2, "WAV PCM_24", 0.01),
    ("s32.wav", "PCM_32", 44100, 2, "WAV PCM_32", 0.01),
    ("f32.wav", "FLOAT", 48000, 1, "WAV FLOAT", 0.01),
    ("f64.wav", "DOUBLE", 22050, 1, "WAV DOUBLE", 0.01),
    ("phone.wav", "PCM_16", 8000, 1, "WAV PCM_16", 0.01),
    ("s16.flac", "PCM_16", 44100, 2, "FLAC PCM_16", 0.01),
    ("s24.flac", "PCM_24", 48000, 1, "FLAC PCM_24", 0.01),
    ("v.ogg", "VORBIS", 44100, 2, "OGG VORBIS", 0.1),
]


@pytest.mark.parametrize("name, subtype, rate, channels, source_format, tolerance", FORMATS)
def test_every_format_reads_as_16k_mono_with_the_tone_intact(tmp_path, name, subtype, rate, channels, source_format,
                                                             tolerance):
    path = write_fixture(tmp_path / name, tone(rate), rate, subtype, channels)
    clip = read_audio(path)
    assert isinstance(clip, AudioClip)
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert (clip.rate, clip.source_rate, clip.source_channels, clip.source_format) == (16000, rate, channels,
                                                                                      source_format)
    assert len(clip.samples) == 16000 and clip.duration == pytest.approx(1.0)
    assert np.abs(clip.samples).max() <= 1.0
    frequency, amplitude = peak_frequency_and_amplitude(clip.samples, 16000)
    assert frequency == pytest.approx(1000.0, abs=3.0)
    assert amplitude == pytest.approx(0.5, rel=tolerance)


def test_notes_say_what_was_converted(tmp_path):
    stereo = read_audio(write_fixture(tmp_path / "a.wav", tone(44100), 44100, "PCM_24", channels=2))
    assert stereo.notes == ["Converted 44.1 kHz stereo to 16 kHz mono."]
    assert read_audio(write_fixture(tmp_path / "b.wav", tone(48000), 48000, "PCM_16")).notes == [
        "Converted 48 kHz to 16 kHz."]
    assert read_audio(write_fixture(tmp_path / "c.wav", tone(16000), 16000, "PCM_16", 2)).notes == [
        "Mixed stereo down to mono."]
    assert read_audio(write_fixture(tmp_path / "d.wav", tone(16000), 16000, "PCM_16")).notes == []
    phone = read_audio(write_fixture(tmp_path / "e.wav", tone(8000), 8000, "PCM_16"))
    assert phone.notes[0] == "Converted 8 kHz to 16 kHz." and "nothing above 4 kHz" in phone.notes[1]


def test_stereo_channels_are_averaged(tmp_path):
    data = np.stack([tone(16000, amplitude=0.6), np.zeros(16000)], axis=1)
    soundfile.write(str(tmp_path / "left.wav"), data, 16000, subtype="FLOAT")
    assert np.allclose(read_audio(tmp_path / "left.wav").samples, 0.3 * np.sin(2 * np.pi * 1000 * np.arange(16000)
                                                                             / 16000), atol=1e-6)


def test_silence_and_clipping_are_noted(tmp_path):
    silent = read_audio(write_fixture(tmp_path / "silent.wav", np.zeros(16000), 16000, "PCM_16"))
    assert silent.notes == ["The file is silent (its loudest sample is below -80 dBFS)."]
    clipped = np.clip(tone(16000, amplitude=1.5), -1.0, 1.0)
    notes = read_audio(write_fixture(tmp_path / "clipped.wav", clipped, 16000, "PCM_16")).notes
    share = np.mean(np.abs(clipped) >= 0.99) * 100
    assert len(notes) == 1 and notes[0].startswith(f"{share:.2g}% of samples are clipped")
    assert read_audio(write_fixture(tmp_path / "loud.wav", tone(16000, amplitude=0.9), 16000, "PCM_16")).notes == []


def test_float_samples_above_full_scale_are_cut_to_the_valid_range(tmp_path):
    clip = read_audio(write_fixture(tmp_path / "hot.wav", tone(16000, amplitude=2.0), 16000, "FLOAT"))
    assert np.abs(clip.samples).max() == pytest.approx(1.0)
    assert "above full scale" in clip.notes[0]


@pytest.mark.parametrize("source_rate", [8000, 22050, 44100, 48000])
def test_resampling_keeps_a_tones_frequency_and_amplitude(source_rate):
    converted = resample(tone(source_rate, 2.0), source_rate, 16000)
    assert converted.dtype == np.float32 and len(converted) == 32000
    frequency, amplitude = peak_frequency_and_amplitude(converted, 16000)
    assert frequency == pytest.approx(1000.0, abs=1.0) and amplitude == pytest.approx(0.5, rel=0.005)


def test_resampling_filters_out_what_would_alias():
    # A 10 kHz tone cannot exist at 16 kHz; dropping samples without a low-pass filter would fold it to 6 kHz.
    converted = resample(tone(48000, 1.0, freq=10000.0), 48000, 16000)
    assert np.sqrt(np.mean(converted[1000:-1000] ** 2)) < 0.5 * 10 ** (-60 / 20)


@pytest.mark.parametrize("rate, subtype, channels", [(44100, "PCM_24", 2), (48000, "FLOAT", 1), (8000, "PCM_16", 1),
                                                     (16000, "PCM_16", 2), (22050, "PCM_U8", 1)])
def test_streamed_blocks_join_into_the_whole_file_conversion(tmp_path, rate, subtype, channels):
    rng = np.random.default_rng(rate)
    path = write_fixture(tmp_path / "long.wav", rng.uniform(-0.8, 0.8, int(rate * 3.3)), rate, subtype, channels)
    blocks = list(iter_audio_blocks(path, block_seconds=0.5))
    assert len(blocks) == 7 and all(block.dtype == np.float32 for block in blocks)
    assert len(blocks[0]) == pytest.approx(8000, abs=2)
    whole = read_audio(path).samples
    joined = np.concatenate(blocks)
    assert len(joined) == len(whole)
    assert np.max(np.abs(joined - whole)) < 1e-5  # exact up to float rounding, edges included


def test_duration_comes_from_the_header(tmp_path):
    assert audio_duration(write_fixture(tmp_path / "a.wav", tone(44100, 2.5), 44100, "PCM_16", 2)) == 2.5
    assert audio_duration(write_fixture(tmp_path / "a.ogg", tone(48000, 1.5), 48000, "VORBIS")) == pytest.approx(1.5)


def unusable_files(folder):
    (folder / "text.wav").write_text("this is not a sound file\n" * 20)
    (folder / "empty.wav").write_bytes(b"")
    soundfile.write(str(folder / "no_samples.wav"), np.zeros(0), 16000)
    header = (folder / "no_samples.wav").read_bytes()
    (folder / "cut_header.wav").write_bytes(header[:20])
    return {"missing.wav": "does not exist", "text.wav": "not a readable audio file", "empty.wav": "empty",
            "no_samples.wav": "contains no audio samples", "cut_header.wav": "not a readable audio file",
            ".": "is a folder"}


@pytest.mark.parametrize("reader", [read_audio, audio_duration, lambda path: list(iter_audio_blocks(path))],
                         ids=["read_audio", "audio_duration", "iter_audio_blocks"])
def test_unusable_files_raise_a_data_error_naming_the_problem(tmp_path, reader):
    for name, problem in unusable_files(tmp_path).items():
        with pytest.raises(DataError) as caught:
            reader(tmp_path / name)
        assert problem in caught.value.problem and caught.value.hint, name


def test_a_corrupt_flac_stream_raises_a_data_error(tmp_path):
    path = write_fixture(tmp_path / "good.flac", np.random.default_rng(0).uniform(-0.5, 0.5, 48000), 16000, "PCM_16")
    data = path.read_bytes()
    (tmp_path / "bad.flac").write_bytes(data[:len(data) // 3] + bytes(np.random.default_rng(1).integers(
        0, 256, len(data) - len(data) // 3, dtype=np.uint8)))
    for reader in (read_audio, lambda p: list(iter_audio_blocks(p))):
        with pytest.raises(DataError, match="damaged"):
            reader(tmp_path / "bad.flac")


def test_write_audio_round_trips_as_16_bit_pcm(tmp_path):
    samples = np.random.default_rng(0).uniform(-0.9, 0.9, 12345).astype(np.float32)
    path = write_audio(tmp_path / "sub" / "out.wav", samples)
    info = soundfile.info(str(path))
    assert (info.samplerate, info.channels, info.subtype, info.frames) == (16000, 1, "PCM_16", 12345)
    assert np.max(np.abs(read_audio(path).samples - samples)) <= 0.5 / 32768 + 1e-7


def test_write_audio_clips_and_cleans_impossible_values(tmp_path):
    path = write_audio(tmp_path / "out.wav", np.array([2.0, -3.0, np.nan, np.inf, 0.5]), rate=8000)
    data, rate = soundfile.read(str(path), dtype="int16")
    assert rate == 8000 and data.tolist() == [32767, -32768, 0, 32767, 16384]


def test_a_failed_save_keeps_the_old_file_and_leaves_no_partial_file(tmp_path, monkeypatch):
    target = write_audio(tmp_path / "take.wav", np.full(1600, 0.25))
    before = target.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StudioError, match="full"):
        write_audio(target, np.full(16000, -0.5))
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.wav"]


def test_saved_files_get_normal_permissions(tmp_path):
    import os
    import stat

    from ganstudio.core.speech.audio_files import write_audio, write_audio_stream

    umask = os.umask(0o022)
    try:
        write_audio(tmp_path / "a.wav", np.zeros(100, np.float32))
        write_audio_stream(tmp_path / "b.wav", iter([np.zeros(50, np.float32)] * 2))
    finally:
        os.umask(umask)
    for name in ("a.wav", "b.wav"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    assert soundfile.info(str(tmp_path / "b.wav")).frames == 100

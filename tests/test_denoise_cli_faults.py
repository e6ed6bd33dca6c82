"""`ganstudio denoise` on bad input and a bad disk (issue 13, items 3 and 5): NaN samples no longer silence whole
model windows and are reported; a full disk is a clear error, not a traceback; temp files of a killed save are
cleaned on the next run. The model is a stand-in that, like a real network, mixes its whole window into every output
sample (so one NaN in a frame would poison the frame), which keeps these tests free of TensorFlow work."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest
import soundfile

RATE = 16000
WINDOW = 4096


class WindowMixingModel:
    """Halves the input; adds 0 × the window's mean, so a NaN anywhere in a frame makes the whole frame NaN."""

    window, hop, rate, title = WINDOW, WINDOW // 2, RATE, "stand-in"

    def process(self, frames: np.ndarray) -> np.ndarray:
        frames = np.asarray(frames, np.float32)
        return 0.5 * frames + 0.0 * frames.mean(axis=1, keepdims=True)


@pytest.fixture
def denoise(monkeypatch, capsys):
    from ganstudio import cli
    from ganstudio.commands import denoise as command
    from ganstudio.ml.inference.denoiser import DenoiserSession

    monkeypatch.setattr(command, "default_denoiser", lambda: "stand-in")
    monkeypatch.setattr(DenoiserSession, "load", classmethod(lambda cls, path, window=None: WindowMixingModel()))

    def run(source, target) -> tuple[int, str, str]:
        code = cli.main(["denoise", "--input", str(source), "--output", str(target), "--quiet"])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def five_seconds() -> np.ndarray:
    t = np.arange(5 * RATE) / RATE
    return (0.4 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)


def test_nan_samples_do_not_silence_model_windows_and_are_reported(tmp_path, denoise):
    samples = five_seconds()
    bad = samples.copy()
    bad[[3000, 30000, 61000]] = np.nan
    bad[45000] = np.inf
    soundfile.write(str(tmp_path / "in.wav"), bad, RATE, subtype="FLOAT")
    code, out, _ = denoise(tmp_path / "in.wav", tmp_path / "out.wav")
    assert code == 0
    written, _ = soundfile.read(str(tmp_path / "out.wav"), dtype="float32")
    assert len(written) == len(samples)
    silent = np.abs(written) < 1e-4
    expected_silent = np.abs(0.5 * samples) < 1e-4  # the sine's own zero crossings
    silenced_s = (silent & ~expected_silent).sum() / RATE  # before the fix: 1.12 s of 5 s
    assert silenced_s <= 4 / RATE  # at most the repaired samples themselves, not whole windows
    differs = np.abs(written - 0.5 * samples) > 2e-4  # 16-bit output: half a step is 1.5e-5
    assert differs.sum() <= 4
    assert "note: Repaired 4 samples that were not a number (NaN or infinite)" in out
    assert out.strip().splitlines()[-1].startswith("wrote 5.0 s")


def test_a_full_disk_is_one_clear_error_and_leaves_no_temp_file(tmp_path, denoise, monkeypatch):
    soundfile.write(str(tmp_path / "in.wav"), five_seconds(), RATE, subtype="PCM_16")
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def disk_full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(soundfile.SoundFile, "write", disk_full)
    code, out, err = denoise(tmp_path / "in.wav", out_dir / "clean.wav")
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"error: The disk holding {out_dir / 'clean.wav'} is full.")
    assert list(out_dir.iterdir()) == []


def test_libsndfiles_own_full_disk_error_reads_as_a_full_disk(tmp_path, denoise, monkeypatch):
    """A real full disk reaches us as LibsndfileError 'System error.' with ENOSPC left in errno."""
    from soundfile import _ffi

    soundfile.write(str(tmp_path / "in.wav"), five_seconds(), RATE, subtype="PCM_16")

    def system_error(self, data):
        _ffi.errno = errno.ENOSPC
        raise soundfile.LibsndfileError(2)

    monkeypatch.setattr(soundfile.SoundFile, "write", system_error)
    code, _, err = denoise(tmp_path / "in.wav", tmp_path / "clean.wav")
    assert code == 2 and "Traceback" not in err and "is full" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.wav"]


def test_a_killed_saves_temp_file_is_removed_on_the_next_run(tmp_path, denoise):
    soundfile.write(str(tmp_path / "in.wav"), five_seconds(), RATE, subtype="PCM_16")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    leftover = out_dir / ".clean.wav.k3j_x9a2.tmp"  # what a `denoise` killed while writing leaves
    leftover.write_bytes(b"RIFF" + bytes(20_000))
    mine = [out_dir / "notes.tmp", out_dir / ".hidden.tmp"]  # not our temp-name pattern: never touched
    for path in mine:
        path.write_text("keep")
    code, out, _ = denoise(tmp_path / "in.wav", out_dir / "other.wav")
    assert code == 0 and "removed 1 unfinished temp file of an interrupted save" in out
    assert not leftover.exists() and all(path.exists() for path in mine)
    assert sorted(p.name for p in out_dir.iterdir()) == [".hidden.tmp", "notes.tmp", "other.wav"]


def test_a_truncated_input_is_noted_before_the_work(tmp_path, denoise):
    path = tmp_path / "cut.wav"
    soundfile.write(str(path), five_seconds(), RATE, subtype="PCM_16")
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 5)
    code, out, _ = denoise(path, tmp_path / "out.wav")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("note: The file is cut short: its header promises 5.0 s but only 1.0 s")

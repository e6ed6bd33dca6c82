"""The Denoise page's long jobs as plain functions work(report, cancelled, …) run on NamedJobs threads: open a file
(long ones streamed block by block), denoise, score against a clean reference, add noise, save. Each result carries
its display data, computed here rather than on the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.errors import DataError, StudioError
from ganstudio.workers.clip_display import ClipDisplay, clip_display
from ganstudio.workers.named_jobs import JobCancelled, Report

RATE = 16000
STREAM_AFTER_S = 120.0  # longer files are read block by block, with progress and cancel
BLOCK_SECONDS = 10.0
METRIC_NAMES = {"snr_db": "SNR (dB)", "ssnr_db": "Segmental SNR (dB)", "pesq_wb": "PESQ-wb", "stoi": "STOI"}

Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Clip:
    """Audio the page holds: float32 mono samples at `rate`, what to draw, and notes for the user."""

    samples: np.ndarray
    rate: int
    display: ClipDisplay
    notes: tuple[str, ...] = ()
    source: str = ""  # the file it came from, if any

    @classmethod
    def of(cls, samples: np.ndarray, rate: int = RATE, notes=(), source: str = "") -> Clip:
        samples = np.asarray(samples, np.float32).reshape(-1)
        return cls(samples, int(rate), clip_display(samples, rate), tuple(notes), str(source))

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


@dataclass(frozen=True)
class NoisyMix:
    noisy: Clip
    clean: np.ndarray  # the reference, scaled exactly as in the mix


@dataclass(frozen=True)
class Scores:
    table: dict[str, dict[str, float | None]]  # clip name ("noisy", "denoised") → metric key → value or None
    notes: tuple[str, ...] = ()  # why a metric is missing


@dataclass(frozen=True)
class Cleaned:
    """Unfinished temp files of an interrupted save (a killed app or `ganstudio denoise`) removed from a folder."""

    folder: str
    removed: int

    @property
    def note(self) -> str:
        if not self.removed:
            return ""
        files = "file" if self.removed == 1 else "files"
        return f"Removed {self.removed} unfinished temp {files} of an interrupted save from {self.folder}."


@dataclass(frozen=True)
class Saved:
    path: Path
    cleaned: Cleaned  # before writing, in the folder written to


def open_clip(report: Report, cancelled: Cancelled, path: str, rate: int = RATE) -> Clip:
    """Any WAV/FLAC/OGG → 16 kHz mono, with the reader's notes (what was converted, clipping, silence)."""
    from ganstudio.core.speech.audio_files import audio_duration, read_audio

    duration = audio_duration(path)
    if duration <= STREAM_AFTER_S:
        clip = read_audio(path, rate)
        samples, notes = clip.samples, list(clip.notes)
    else:
        samples, notes = _read_streaming(path, rate, duration, report, cancelled)
    report(1.0)
    return Clip.of(samples, rate, notes, path)


def _read_streaming(path: str, rate: int, duration: float, report: Report,
                    cancelled: Cancelled) -> tuple[np.ndarray, list[str]]:
    import soundfile

    from ganstudio.core.speech.audio_files import conversion_notes, iter_audio_blocks
    from ganstudio.core.speech.input_check import InputCheck, truncation_note

    blocks, done, expected, check = [], 0, max(1.0, duration * rate), InputCheck()
    for block in iter_audio_blocks(path, rate, BLOCK_SECONDS, check):
        if cancelled():
            raise JobCancelled()
        blocks.append(block)
        done += len(block)
        report(min(1.0, done / expected))
    info = soundfile.info(str(path))
    cut = truncation_note(info)
    notes = conversion_notes(info.samplerate, info.channels, rate) + ([cut] if cut else []) + check.notes()
    return np.concatenate(blocks), notes


def denoise_clip(report: Report, cancelled: Cancelled, session: Any, samples: np.ndarray, rate: int = RATE) -> Clip:
    """The whole clip through session.denoise (which frames and overlap-adds), with progress and cancel."""
    from ganstudio.core.speech.framing import Cancelled as FramingCancelled

    def progress(done: float, total: float | None = None) -> None:
        report(done / max(total, 1) if total is not None else done)

    started = time.perf_counter()
    try:
        out = session.denoise(samples, progress=progress, cancel=cancelled)
    except FramingCancelled as err:
        raise JobCancelled() from err
    if cancelled():
        raise JobCancelled()
    seconds, duration = time.perf_counter() - started, max(len(samples) / rate, 1e-9)
    note = (f"Denoised {duration:.1f} s of audio in {seconds:.1f} s "
            f"(real-time factor {seconds / duration:.2f}).")
    return Clip.of(np.clip(np.asarray(out, np.float32).reshape(-1), -1.0, 1.0), rate, [note])


def score_clips(report: Report, cancelled: Cancelled, clean: np.ndarray, clips: dict[str, np.ndarray],
                rate: int = RATE) -> Scores:
    """Each metric on its own, so one that cannot score the clip (PESQ on a short one) leaves the others shown."""
    from ganstudio.core.speech import metrics as m

    metrics = {"snr_db": m.snr_db, "ssnr_db": lambda c, e: m.segmental_snr_db(c, e, rate),
               "pesq_wb": lambda c, e: m.pesq_wb(c, e, rate), "stoi": lambda c, e: m.stoi_score(c, e, rate)}
    table, notes = {}, []
    for done, (name, estimate) in enumerate(clips.items(), start=1):
        reference, estimate = m.align(clean, estimate)  # another take altogether: the whole table fails, said why
        row = table[name] = {}
        for key, metric in metrics.items():
            if cancelled():
                raise JobCancelled()
            try:
                row[key] = float(metric(reference, estimate))
            except StudioError as err:
                row[key] = None
                note = f"{METRIC_NAMES[key]}: {err.problem}"
                notes += [note] if note not in notes else []
        report(done / len(clips))
    return Scores(table, tuple(notes))


def add_noise(report: Report, cancelled: Cancelled, clean: np.ndarray, noise: str, snr_db: float, seed: int = 0,
              rate: int = RATE) -> NoisyMix:
    """`noise` is a synthetic noise's name (core/noise_mix) or a noise file's path."""
    from ganstudio.core.speech.noise_mix import TEST_NOISES, mix_at_snr, synthetic_noise

    clean = np.asarray(clean, np.float32).reshape(-1)
    if not np.any(clean):
        raise DataError("The clip is silent: there is no speech to add noise to.",
                        "Open or record a clean speech clip first.")
    if noise in TEST_NOISES:
        samples, what = synthetic_noise(noise, len(clean), np.random.default_rng(seed), rate), f"{noise} noise"
    else:
        from ganstudio.core.speech.audio_files import read_audio

        samples, what = read_audio(noise, rate).samples, Path(noise).name
        if not np.any(samples):
            raise DataError(f"{what} is silent, so it adds no noise.", "Choose a noise recording with sound in it.")
    noisy, reference = mix_at_snr(clean, samples, snr_db)
    report(1.0)
    note = f"Added {what} at {snr_db:g} dB SNR; the clean clip is kept as the reference for the scores."
    return NoisyMix(Clip.of(noisy, rate, [note], f"{what} at {snr_db:g} dB"), reference)


def clean_folder(report: Report, cancelled: Cancelled, folder: str) -> Cleaned:
    """Remove what killed saves left in `folder` (a hidden `.NAME.wav.XXXXXXXX.tmp`, as large as the clip); saves in
    progress, by any process, hold a lock on theirs and are left alone (core/atomic.py)."""
    from ganstudio.core.atomic import clean_stale_temp_files

    return Cleaned(str(folder), clean_stale_temp_files(folder))


def save_clip(report: Report, cancelled: Cancelled, path: str, samples: np.ndarray, rate: int = RATE) -> Saved:
    """A 16-bit PCM WAV, written atomically (a failed save leaves any older file as it was), after cleaning what
    earlier interrupted saves left in its folder."""
    from ganstudio.core.speech.audio_files import write_audio

    cleaned = clean_folder(report, cancelled, str(Path(path).parent))
    return Saved(write_audio(path, samples, rate), cleaned)


def warm_up(processor: Any, window: int) -> None:
    """One silent frame through the processor: TensorFlow traces its graph now rather than on the first real audio."""
    processor.process(np.zeros((1, int(window)), np.float32))

"""Audio file reading and writing: any WAV/FLAC/OGG (bit depth, rate, channels) becomes float32 mono at 16 kHz in
[-1, 1], with plain-language notes on what was converted or found (input_check.py); long files stream block by block;
saves are atomic."""

from __future__ import annotations

import contextlib
import errno
import io
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.atomic import write_bytes_atomic
from ganstudio.core.errors import DataError
from ganstudio.core.speech.input_check import InputCheck, repair_nonfinite, truncation_note

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".oga"}
SPEECH_RATE = 16000
_OPEN_HINT = "Open a WAV, FLAC or OGG file; if this one plays elsewhere, convert it to WAV first."


@dataclass
class AudioClip:
    """Samples converted for the denoiser, plus what the file originally was and what was done to it."""

    samples: np.ndarray  # float32, mono, in [-1, 1]
    rate: int
    source_rate: int
    source_channels: int
    source_format: str  # e.g. "WAV PCM_24", "OGG VORBIS"
    notes: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


def is_audio_name(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_SUFFIXES and not path.name.startswith(".")


def _open(path: Path):
    """Open with libsndfile, turning every way a file can be unusable into a DataError that names the file."""
    import soundfile

    if not path.exists():
        raise DataError(f"{path} does not exist.", "Check the file name, or pick the file again.")
    if path.is_dir():
        raise DataError(f"{path} is a folder, not an audio file.", _OPEN_HINT)
    if path.stat().st_size == 0:
        raise DataError(f"{path.name} is empty (0 bytes).", "Record again or choose another file.")
    try:
        handle = soundfile.SoundFile(str(path))
    except (RuntimeError, OSError, ValueError, TypeError) as err:  # LibsndfileError is a RuntimeError
        raise DataError(f"{path.name} is not a readable audio file ({_reason(err)}).", _OPEN_HINT) from err
    if handle.frames <= 0 or handle.samplerate <= 0:
        handle.close()
        raise DataError(f"{path.name} contains no audio samples.", "Record again or choose another file.")
    return handle


def _reason(err: Exception) -> str:
    text = str(getattr(err, "error_string", "") or err).strip().rstrip(".")
    return text.split(":")[-1].strip() or type(err).__name__


def _read_failed(path: Path, err: Exception) -> DataError:
    return DataError(f"{path.name} is damaged: reading stopped partway ({_reason(err)}).",
                     "The file may be cut off or corrupt; if it plays elsewhere, convert it to WAV first.")


def resample(samples: np.ndarray, source_rate: int, rate: int) -> np.ndarray:
    """Polyphase resampling (anti-aliased, Kaiser-windowed FIR) with the reduced up/down ratio; float32 out."""
    if source_rate == rate:
        return np.asarray(samples, dtype=np.float32)
    from scipy.signal import resample_poly

    up, down = _ratio(source_rate, rate)
    return resample_poly(np.asarray(samples, dtype=np.float32), up, down).astype(np.float32, copy=False)


def _ratio(source_rate: int, rate: int) -> tuple[int, int]:
    common = math.gcd(int(source_rate), int(rate))
    return int(rate) // common, int(source_rate) // common


def _to_mono(block: np.ndarray) -> np.ndarray:
    return block[:, 0] if block.shape[1] == 1 else block.mean(axis=1, dtype=np.float32)


def read_audio(path: str | Path, rate: int = SPEECH_RATE) -> AudioClip:
    """Read a whole file as float32 mono at `rate` in [-1, 1]; `notes` tell the user what was converted or found."""
    path = Path(path)
    check = InputCheck()
    with _open(path) as handle:
        try:
            data = check.take(handle.read(dtype="float32", always_2d=True))
        except (RuntimeError, OSError, ValueError) as err:
            raise _read_failed(path, err) from err
        source_rate, channels = handle.samplerate, handle.channels
        source_format = f"{handle.format} {handle.subtype}"
        cut = truncation_note(handle)
    if len(data) == 0:
        raise DataError(f"{path.name} contains no audio samples.", "Record again or choose another file.")
    notes = conversion_notes(source_rate, channels, rate) + ([cut] if cut else []) + check.notes()
    samples = np.clip(resample(_to_mono(data), source_rate, rate), -1.0, 1.0)
    return AudioClip(samples, rate, source_rate, channels, source_format, notes)


def _khz(rate: int) -> str:
    return f"{rate / 1000:g} kHz"


def _channel_word(channels: int) -> str:
    return {1: "mono", 2: "stereo"}.get(channels, f"{channels}-channel")


def conversion_notes(source_rate: int, channels: int, rate: int = SPEECH_RATE) -> list[str]:
    """What converting a file of this rate and channel count to `rate` mono does, in sentences for the user."""
    notes = []
    if source_rate != rate and channels != 1:
        notes.append(f"Converted {_khz(source_rate)} {_channel_word(channels)} to {_khz(rate)} mono.")
    elif source_rate != rate:
        notes.append(f"Converted {_khz(source_rate)} to {_khz(rate)}.")
    elif channels != 1:
        notes.append(f"Mixed {_channel_word(channels)} down to mono.")
    if source_rate < rate:
        notes.append(f"The recording holds nothing above {_khz(source_rate // 2)}, so it will sound muffled "
                     "whatever the denoiser does.")
    return notes



def audio_duration(path: str | Path) -> float:
    """Length in seconds from the file header, without decoding the audio."""
    with _open(Path(path)) as handle:
        return handle.frames / handle.samplerate


def iter_audio_blocks(path: str | Path, rate: int = SPEECH_RATE, block_seconds: float = 10.0,
                      check: InputCheck | None = None) -> Iterator[np.ndarray]:
    """Stream a file as float32 mono blocks at `rate` (about `block_seconds` each) without holding it in memory.

    Samples that are not numbers are repaired as `read_audio` does; pass `check` to learn, once the stream is
    consumed, how many were and what else the samples showed (`check.notes()`).

    Each block is resampled with some source context on both sides and the context's output is cut away, so the
    concatenated blocks equal `read_audio(path, rate).samples` (the polyphase filter is shift-invariant for shifts
    that are multiples of `down`, and every cut falls on such a multiple).
    """
    path = Path(path)
    with _open(path) as handle:
        source_rate = handle.samplerate
        up, down = _ratio(source_rate, rate)
        block = down * max(1, round(block_seconds * source_rate / down))
        context = down * math.ceil((10 * max(up, down) / up + 64) / down)  # > the filter's half-length
        blocks = _mono_blocks(handle, path, block, check if check is not None else InputCheck())
        yield from _resampled_blocks(blocks, source_rate, rate, context)


def _mono_blocks(handle, path: Path, block: int, check: InputCheck) -> Iterator[np.ndarray]:
    """Blocks of exactly `block` frames except the last (a decoder may return short reads before the end)."""
    while True:
        parts, count = [], 0
        while count < block:
            try:
                data = handle.read(block - count, dtype="float32", always_2d=True)
            except (RuntimeError, OSError, ValueError) as err:
                raise _read_failed(path, err) from err
            if len(data) == 0:
                break
            parts.append(_to_mono(check.take(data)))
            count += len(data)
        if count:
            yield np.concatenate(parts)
        if count < block:
            return


def _resampled_blocks(blocks: Iterator[np.ndarray], source_rate: int, rate: int,
                      context: int) -> Iterator[np.ndarray]:
    """Resample each block with `context` source samples of the previous and next blocks around it."""
    up, down = _ratio(source_rate, rate)
    before = np.zeros(0, np.float32)
    current = next(blocks, None)
    while current is not None:
        following = next(blocks, None)
        if source_rate == rate:
            yield np.clip(current, -1.0, 1.0)
        else:
            after = following[:context] if following is not None else np.zeros(0, np.float32)
            converted = resample(np.concatenate([before, current, after]), source_rate, rate)
            start = len(before) * up // down
            count = len(current) * up // down if following is not None else math.ceil(len(current) * up / down)
            yield np.clip(converted[start:start + count], -1.0, 1.0)
        before = np.concatenate([before, current])[-context:]
        current = following


def write_audio(path: str | Path, samples: np.ndarray, rate: int = SPEECH_RATE) -> Path:
    """Save mono samples in [-1, 1] as a 16-bit PCM WAV, atomically (a failed save leaves the old file intact)."""
    import soundfile

    path = Path(path)
    samples, _ = repair_nonfinite(np.asarray(samples, dtype=np.float64).reshape(-1))
    # 32768 is the int16 full scale libsndfile divides by when reading (SPEC §16 #34), so a save and a read-back
    # agree to half a step; +1.0 itself has no int16 code and becomes 32767.
    pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype(np.int16)
    buffer = io.BytesIO()
    soundfile.write(buffer, pcm, int(rate), format="WAV", subtype="PCM_16")
    write_bytes_atomic(path, buffer.getvalue())
    return path


def write_audio_stream(path: str | Path, blocks: Iterator[np.ndarray], rate: int = SPEECH_RATE) -> int:
    """Save a stream of mono blocks (e.g. a 1-hour file denoised block by block) as a 16-bit WAV without holding it
    in memory; atomic like write_audio: the file appears only once complete. Returns the number of samples."""
    import soundfile

    from ganstudio.core.atomic import atomic_file

    written = 0
    with atomic_file(path) as tmp, _write_errors_as_oserror(), soundfile.SoundFile(
            tmp, "w", samplerate=int(rate), channels=1, subtype="PCM_16", format="WAV") as out:
        for block in blocks:
            samples, _ = repair_nonfinite(np.asarray(block, np.float64).reshape(-1))
            out.write(np.clip(samples, -1.0, 32767 / 32768))
            written += samples.size
    return written


@contextlib.contextmanager
def _write_errors_as_oserror():
    """libsndfile reports a failed write (a full disk) as LibsndfileError 'System error.' and leaves the cause in
    errno; raise it as the OSError it is, so atomic_file reports it like every other failed save (disk_error: "The
    disk holding … is full."), and removes the partial temp file. Reading errors inside the block are DataErrors
    already (_read_failed), so only writing can end here."""
    import soundfile

    try:
        yield
    except soundfile.LibsndfileError as err:
        ffi = getattr(soundfile, "_ffi", None)  # cffi keeps the errno of the last C call of this thread
        code = (ffi.errno if ffi is not None and err.code == _SFE_SYSTEM else 0) or errno.EIO
        raise OSError(code, os.strerror(code)) from err


_SFE_SYSTEM = 2  # libsndfile's "System error": an I/O call failed, errno says why

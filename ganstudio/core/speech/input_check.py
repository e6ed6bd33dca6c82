"""What reading a recording finds in it, told to the user: samples that are not numbers (repaired), silence,
clipping, levels far beyond full scale, a file cut short.

The sample checks are gathered block by block (`InputCheck.take`), so a file streamed in blocks (`ganstudio denoise`,
long files on the Denoise page) is repaired and judged exactly like one read whole (`read_audio`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

SILENCE_PEAK = 10 ** (-80 / 20)  # a file whose loudest sample is below -80 dBFS is silence (or a muted input)
CLIP_LEVEL = 0.99  # 8-bit full scale is 127/128 = 0.992, so the threshold sits just below it
CLIPPED_SHARE = 1e-4  # fewer clipped samples than this are inaudible: not worth a note
FAR_BEYOND = 2.0  # a float file peaking at 2× full scale (+6 dBFS) or more was saved with the wrong scale, not hot
# Streaming writers (pipes, some recorders) put a placeholder in the WAV data size: it is not a promise of frames.
PLACEHOLDER_SIZE = 0x7FFFF000
_WAV_DATA_LOG = re.compile(r"^\s*data\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)


def repair_nonfinite(samples: np.ndarray) -> tuple[np.ndarray, int]:
    """NaN → 0 (silence), ±infinity → ±1 (full scale); returns the samples and how many were replaced.

    The one sanitiser of audio going in (reading) and out (saving). On the way in it matters most: a model mixes every
    sample of its window into every output sample, so a single NaN would turn a whole window of output into NaN,
    which the save then writes as silence.
    """
    samples = np.asarray(samples)
    bad = int(samples.size - np.count_nonzero(np.isfinite(samples)))
    if bad:
        samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    return samples, bad


@dataclass
class InputCheck:
    """Counts over all samples read so far (every channel, at the file's own rate, before any conversion: resampling
    smears a clipped peak and would spread a NaN over the filter's length)."""

    samples: int = 0
    repaired: int = 0
    clipped: int = 0
    peak: float = 0.0  # of the finite samples

    def take(self, data: np.ndarray) -> np.ndarray:
        """Count what a block of samples as read holds; return it with non-finite samples repaired."""
        data = np.asarray(data)
        if data.size == 0:
            return data
        finite = np.isfinite(data)
        magnitude = np.abs(data, where=finite, out=np.zeros(data.shape, np.float64))
        self.peak = max(self.peak, float(magnitude.max()))
        self.clipped += int(np.count_nonzero(magnitude >= CLIP_LEVEL))
        data, bad = repair_nonfinite(data)
        self.repaired += bad
        self.samples += data.size
        return data

    def notes(self) -> list[str]:
        if self.samples == 0:
            return []
        notes = []
        if self.repaired:
            notes.append(f"Repaired {self.repaired} sample{'s' if self.repaired != 1 else ''} that "
                         f"{'were' if self.repaired != 1 else 'was'} not a number (NaN or infinite): NaN became "
                         "silence, infinity full scale.")
        return notes + self._level_notes()

    def _level_notes(self) -> list[str]:
        if self.peak < SILENCE_PEAK:
            return ["The file is silent (its loudest sample is below -80 dBFS)."]
        notes = []
        share = self.clipped / self.samples
        if share >= CLIPPED_SHARE:
            note = f"{share * 100:.2g}% of samples are clipped (at full scale); the denoiser cannot restore them."
            notes.append(note + (" Samples above full scale were cut to [-1, 1]." if self.peak > 1.0 else ""))
        if self.peak >= FAR_BEYOND:
            notes.append(f"The loudest sample is {self.peak:.3g} times full scale (+{_db(self.peak):.0f} dBFS): the "
                         "file was probably saved with the wrong scale (e.g. integer values in a float file). "
                         "Everything beyond full scale was cut; scale the file down and open it again.")
        elif self.peak > 1.0 and share < CLIPPED_SHARE:
            notes.append(f"A few samples above full scale (up to +{_db(self.peak):.1f} dBFS) were cut to [-1, 1].")
        return notes


def _db(value: float) -> float:
    return 20.0 * math.log10(value)


def truncation_note(info) -> str | None:
    """A file shorter than its header says (a copy or a recording that stopped partway), from a soundfile info or an
    open SoundFile. libsndfile reads what is there and reports the cut only in its log ('data : 64000 (should be
    31978)' for WAV), with `frames` already counting only the frames present; other formats fail to decode partway,
    which the reader reports as damage."""
    match = _WAV_DATA_LOG.search(getattr(info, "extra_info", "") or "")
    if not match or info.samplerate <= 0:
        return None
    promised, present = int(match.group(1)), int(match.group(2))
    if promised <= present or promised >= PLACEHOLDER_SIZE or present <= 0:
        return None
    have = info.frames / info.samplerate
    return (f"The file is cut short: its header promises {have * promised / present:.1f} s but only {have:.1f} s "
            "are there (an interrupted copy or recording?); the part that is there was used.")

"""Reader for OpenTTD's opensfx.cat: 71 CC0/CC-BY Freesound recordings (wind, engines, crowds, machines…) packed in one file.

Layout: a table of little-endian (offset, size) uint32 pairs (offset masked with 0x7fffffff; the first offset / 8 is the
entry count); each entry is a one-byte name length, the name, then a RIFF/WAV file.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

OPENSFX_CAT = Path("/usr/share/games/openttd/baseset/opensfx/opensfx.cat")


@dataclass(frozen=True)
class CatEntry:
    name: str
    wav_bytes: bytes


def read_cat(path: str | Path = OPENSFX_CAT) -> list[CatEntry]:
    data = Path(path).read_bytes()
    count = (struct.unpack_from("<I", data, 0)[0] & 0x7FFFFFFF) // 8
    entries = []
    for i in range(count):
        offset, size = struct.unpack_from("<II", data, 8 * i)
        offset &= 0x7FFFFFFF
        name_len = data[offset]
        name = data[offset + 1:offset + 1 + name_len].rstrip(b"\0").decode("latin-1")
        body = data[offset + 1 + name_len:offset + size]
        if body[:4] == b"RIFF":
            entries.append(CatEntry(name, body))
    return entries


def decode(entry: CatEntry, rate: int = 16000) -> np.ndarray:
    """The entry's audio as float32 mono at `rate`."""
    import soundfile

    from ganstudio.core.speech.audio_files import resample

    data, source_rate = soundfile.read(io.BytesIO(entry.wav_bytes), dtype="float32", always_2d=True)
    return resample(data.mean(axis=1), source_rate, rate)

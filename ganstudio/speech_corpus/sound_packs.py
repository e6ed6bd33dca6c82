"""Ambient and effect recordings that Debian's game packages ship, as extra **training** noise.

Why: OpenSFX holds only ~150 s of noise, and a denoiser that has heard a few dozen noises learns them by heart (see
models/README.md). LinCity-NG's city ambiences (industry, traffic, crowds, farms, water, trains: ~500 s), Minetest's
material and nature sounds (~130 s) and Extreme Tux Racer's slides (~20 s) multiply that. They never reach the test
set, which stays OpenSFX's held-out recordings, so scores remain comparable across corpora.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MIN_SECONDS = 0.5  # clicks and blips are not noise a microphone picks up


@dataclass(frozen=True)
class SoundPack:
    package: str
    folder: Path
    licence: str


PACKS = (
    SoundPack("lincity-ng-data", Path("/usr/share/games/lincity-ng/sounds"), "GPL-2+ or CC-BY-SA 2.0"),
    SoundPack("minetest-data", Path("/usr/share/games/minetest/games/minetest_game/mods"), "CC-BY-SA 3.0 / CC-BY 3.0"),
    SoundPack("extremetuxracer-data", Path("/usr/share/games/etr/sounds"), "GPL-2+"),
)


def missing_packages() -> list[str]:
    return [pack.package for pack in PACKS if not pack.folder.is_dir()]


def recordings(rate: int, packs: tuple[SoundPack, ...] | None = None) -> Iterator[tuple[str, np.ndarray]]:
    """(name, float32 mono samples at `rate`) of every usable recording of the installed packs, in a fixed order.
    Unreadable, too short or silent files are skipped: a damaged package must not stop a corpus build."""
    from ganstudio.core.speech.audio_files import read_audio
    from ganstudio.core.errors import DataError

    for pack in PACKS if packs is None else packs:
        if not pack.folder.is_dir():
            continue
        files = sorted(p for p in pack.folder.rglob("*") if p.suffix.lower() in (".wav", ".ogg"))
        for path in files:
            try:
                samples = read_audio(path, rate).samples
            except DataError:
                continue
            if len(samples) >= MIN_SECONDS * rate and float(np.abs(samples).max()) > 1e-3:
                stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower())
                yield f"{pack.package.removesuffix('-data')}-{stem}"[:48], samples

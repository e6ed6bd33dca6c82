"""Synthetic voices from Debian's TTS engines (flite, espeak-ng, festival), each with pitch/speed variation."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Voice:
    name: str  # stable id, e.g. "flite-slt"
    engine: str  # "flite" | "espeak-ng" | "festival"
    voice: str


def available_voices() -> list[Voice]:
    voices = []
    if shutil.which("flite"):
        voices += [Voice(f"flite-{v}", "flite", v) for v in ("slt", "rms", "awb", "kal16")]
    if shutil.which("espeak-ng"):
        voices += [Voice(f"espeak-{v}", "espeak-ng", v) for v in ("en-us+f3", "en-us+m3", "en-gb+f2", "en-gb-scotland+m1", "en-us+f5")]
    if shutil.which("text2wave"):
        festival = Path("/usr/share/festival/voices")
        for folder, scheme in (("us/cmu_us_slt_arctic_hts", "cmu_us_slt_arctic_hts"), ("english/kal_diphone", "kal_diphone")):
            if (festival / folder).is_dir():
                voices.append(Voice(f"festival-{scheme}", "festival", scheme))
    return voices


def synthesize(voice: Voice, text: str, rng: np.random.Generator, rate: int = 16000) -> np.ndarray:
    """float32 mono at `rate`; speed and pitch drawn from rng so one voice covers a range of speakers."""
    from ganstudio.core.speech.audio_files import read_audio

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tts.wav"
        subprocess.run(_command(voice, text, out, rng, Path(tmp)), check=True, capture_output=True, timeout=120)
        return read_audio(out, rate).samples


def _command(voice: Voice, text: str, out: Path, rng: np.random.Generator, tmp: Path) -> list[str]:
    if voice.engine == "flite":
        stretch = rng.uniform(0.85, 1.2)
        return ["flite", "-voice", voice.voice, "--setf", f"duration_stretch={stretch:.2f}",
                "--setf", f"int_f0_target_mean={rng.uniform(90, 220):.0f}" if voice.voice != "slt" else "int_f0_target_stddev=20",
                "-t", text, "-o", str(out)]
    if voice.engine == "espeak-ng":
        return ["espeak-ng", "-v", voice.voice, "-s", str(int(rng.uniform(130, 190))), "-p", str(int(rng.uniform(30, 70))),
                "-w", str(out), text]
    script = tmp / "text.txt"
    script.write_text(text, "utf-8")
    return ["text2wave", "-eval", f"(voice_{voice.voice})", str(script), "-o", str(out)]

"""Speech-enhancement data sets: their folder layouts, loading at 16 kHz, and deterministic training batches.

Layouts (detected by content):
- "mix": clean speech + noise folders, mixed on the fly at random SNRs (`train/clean/` + `train/noise/`, as
  `ganstudio make-speech-corpus` writes, or `clean/` + `noise/`);
- "pairs": VoiceBank-DEMAND (`clean_trainset_wav/` + `noisy_trainset_wav/`) or any `clean/` + `noisy/` folders whose
  files share names.
The batch for step s is a pure function of (seed, s), so resume is exact, as for images (core/training/batches.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.errors import DataError
from ganstudio.core.speech.noise_mix import mix_at_snr, power, varied_noise

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg")
PREVIEW_SAMPLES = 32768
_PAIR_LAYOUTS = (("clean_trainset_wav", "noisy_trainset_wav"), ("train/clean", "train/noisy"), ("clean", "noisy"))
_MIX_LAYOUTS = (("train/clean", "train/noise"), ("clean", "noise"))
_VAL_LAYOUTS = (("val/clean", "val/noisy"), ("clean_testset_wav", "noisy_testset_wav"), ("test/clean", "test/noisy"))


@dataclass(frozen=True)
class SpeechLayout:
    kind: str  # "mix" | "pairs"
    clean: Path
    other: Path  # noise folder (mix) or noisy folder (pairs)
    validation: tuple[Path, Path] | None  # (clean, noisy) pairs for previews and evaluation


def audio_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file())


def _has_audio(folder: Path) -> bool:
    """Stops at the first audio file: the Train page asks this of every folder it lists, on the GUI thread."""
    return any(p.suffix.lower() in AUDIO_SUFFIXES and p.is_file() for p in folder.rglob("*"))


def detect_speech(root: str | Path) -> SpeechLayout | None:
    root = Path(root)
    val = next(((root / c, root / n) for c, n in _VAL_LAYOUTS if (root / c).is_dir() and (root / n).is_dir()), None)
    for kind, layouts in (("pairs", _PAIR_LAYOUTS), ("mix", _MIX_LAYOUTS)):
        for clean, other in layouts:
            if (root / clean).is_dir() and (root / other).is_dir() and _has_audio(root / clean):
                return SpeechLayout(kind, root / clean, root / other, val)
    return None


def require_speech(root: str | Path) -> SpeechLayout:
    layout = detect_speech(root)
    if layout is None:
        raise DataError(f"{root} is not a speech data set.",
                        "Use clean/ + noisy/ folders with matching file names (or VoiceBank-DEMAND's clean_trainset_wav/ "
                        "+ noisy_trainset_wav/), or clean/ + noise/ folders to mix on the fly; "
                        "`ganstudio make-speech-corpus OUT` builds one.")
    return layout


@dataclass
class SpeechData:
    """A speech data set as the Trainer sees it (core/training/data.py): batches drawn by a sampler, and fixed
    validation pairs for previews."""

    sampler: SpeechBatches
    validation: np.ndarray | None  # float32 (N, ~2 s, 2): [clean, noisy]
    names: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.names)

    def batches(self, start: int, stop: int):
        labels = np.zeros(self.sampler.batch_size, np.int32)
        return ((self.sampler.batch(step), labels) for step in range(start, stop))

    def preview_pool(self) -> np.ndarray:
        """The validation pairs (never trained on), else fixed training crops."""
        if self.validation is not None and len(self.validation):
            return self.validation
        return self.sampler.preview_batch()


def load_clips(files: list[Path], rate: int, skipped: list[str], root: Path) -> list[np.ndarray]:
    from ganstudio.core.speech.audio_files import read_audio

    clips = []
    for f in files:
        try:
            clips.append(read_audio(f, rate).samples)
        except DataError as err:
            skipped.append(f"{f.relative_to(root) if f.is_relative_to(root) else f.name}: {err.problem}")
            clips.append(np.zeros(0, np.float32))
    return clips


def load_speech(root: str | Path, window: int, batch_size: int, seed: int, snr_range: tuple[float, float],
                rate: int = 16000, val_count: int = 8, vary_noise: bool = False) -> SpeechData:
    root = Path(root)
    layout = require_speech(root)
    skipped: list[str] = []
    clean_files = audio_files(layout.clean)
    clean = load_clips(clean_files, rate, skipped, root)
    if layout.kind == "pairs":
        other = load_clips(_matching(clean_files, layout, skipped), rate, skipped, root)
    else:
        other = [n for n in load_clips(audio_files(layout.other), rate, skipped, root) if len(n)]
        if not other:
            raise DataError(f"{layout.other} holds no readable noise recordings.", "Add WAV/FLAC/OGG noise files.")
    keep = [i for i, c in enumerate(clean) if len(c) and (layout.kind == "mix" or len(other[i]) == len(c))]
    if len(keep) < batch_size:
        raise DataError(f"{root} has {len(keep)} usable clean clips, fewer than one batch ({batch_size}).",
                        "Lower the batch size or add recordings.")
    batches = SpeechBatches([clean[i] for i in keep], [other[i] for i in keep] if layout.kind == "pairs" else other,
                            layout.kind, window, batch_size, seed, snr_range, vary_noise)
    # Preview clips last ~2 s (a whole number of windows): long enough to hear, and for PESQ and STOI to score.
    validation = _validation(layout, -(-PREVIEW_SAMPLES // window) * window, rate, val_count, skipped, root)
    return SpeechData(batches, validation, [clean_files[i].name for i in keep], skipped)


def _matching(clean_files: list[Path], layout: SpeechLayout, skipped: list[str]) -> list[Path]:
    noisy = {p.relative_to(layout.other).as_posix(): p for p in audio_files(layout.other)}
    out = []
    for f in clean_files:
        match = noisy.get(f.relative_to(layout.clean).as_posix())
        if match is None:
            skipped.append(f"{f.name}: no noisy file of the same name in {layout.other.name}/")
        out.append(match or f.with_name(".missing"))
    return out


def _validation(layout: SpeechLayout, window: int, rate: int, count: int, skipped: list[str], root: Path) -> np.ndarray | None:
    if layout.validation is None:
        return None
    files = audio_files(layout.validation[0])[:count]
    clean = load_clips(files, rate, skipped, root)
    noisy = load_clips([layout.validation[1] / f.relative_to(layout.validation[0]) for f in files], rate, skipped, root)
    pairs = [(c, n) for c, n in zip(clean, noisy) if len(c) and len(c) == len(n)]
    if not pairs:
        return None
    return np.stack([np.stack([_crop(c, window, 0), _crop(n, window, 0)], -1) for c, n in pairs]).astype(np.float32)


def _crop(x: np.ndarray, window: int, start: int) -> np.ndarray:
    piece = x[start:start + window]
    return np.pad(piece, (0, window - len(piece))) if len(piece) < window else piece


class SpeechBatches:
    """batch(step) → float32 (B, window, 2) [clean, noisy]: random clips, random crops, and (mix) random noise/SNR."""

    def __init__(self, clean: list[np.ndarray], other: list[np.ndarray], kind: str, window: int, batch_size: int,
                 seed: int, snr_range: tuple[float, float], vary_noise: bool = False) -> None:
        self.clean, self.other, self.kind = clean, other, kind
        self.vary_noise = vary_noise  # clean + noise sets: each mixture's noise a new variant (core/speech/noise_mix.py)
        self.window, self.batch_size, self.seed, self.snr_range = window, batch_size, seed, snr_range
        # Longer clips are drawn more often: every second of speech weighs the same.
        lengths = np.array([max(len(c), 1) for c in clean], np.float64)
        self._weights = lengths / lengths.sum()
        self._powers = [power(c) for c in clean] if vary_noise else []

    def batch(self, step: int) -> np.ndarray:
        return self._draw(np.random.default_rng([self.seed, 7, step]))

    def preview_batch(self) -> np.ndarray:
        """Fixed items for previews when the data set has no validation pairs (a stream no training step draws)."""
        return self._draw(np.random.default_rng([self.seed, 8]))

    def _draw(self, rng: np.random.Generator) -> np.ndarray:
        picks = rng.choice(len(self.clean), size=self.batch_size, p=self._weights)
        return np.stack([self._item(int(i), rng) for i in picks]).astype(np.float32)

    def _item(self, i: int, rng: np.random.Generator) -> np.ndarray:
        if self.kind == "mix" and self.vary_noise:
            return self._varied_item(i, rng)
        clean = self.clean[i]
        if self.kind == "pairs":
            noisy = self.other[i]
        else:
            noise = self.other[int(rng.integers(len(self.other)))]
            noisy, clean = mix_at_snr(clean, np.roll(noise, -int(rng.integers(len(noise)))), rng.uniform(*self.snr_range))
            gain = rng.uniform(0.3, 1.0)  # level augmentation: a denoiser must not depend on the input's loudness
            noisy, clean = noisy * gain, clean * gain
        start = int(rng.integers(max(1, len(clean) - self.window + 1)))
        return np.stack([_crop(clean, self.window, start), _crop(noisy, self.window, start)], -1)

    def _varied_item(self, i: int, rng: np.random.Generator) -> np.ndarray:
        """The window first, then a new noise variant just as long, mixed at the utterance's SNR (cheap: the noise
        is made for 16,384 samples, not for the whole recording)."""
        clean = self.clean[i]
        start = int(rng.integers(max(1, len(clean) - self.window + 1)))
        piece = _crop(clean, self.window, start)
        noise = varied_noise(self.other, self.window, rng)
        noisy, piece = mix_at_snr(piece, noise, rng.uniform(*self.snr_range), clean_power=self._powers[i])
        gain = rng.uniform(0.3, 1.0)
        return np.stack([piece * gain, noisy * gain], -1)

"""Tiny speech data sets written by the tests themselves: voiced-like clips, noises, clean/noisy pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

RATE = 16000


def voiced(seconds: float, f0: float = 140.0, seed: int = 0) -> np.ndarray:
    """Harmonics under a syllable-rate envelope with pauses: speech-like enough for SNR and framing checks."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) / k for k in range(1, 10))
    envelope = np.clip(np.sin(2 * np.pi * 2.5 * t), 0, None)
    return (0.3 * tone * envelope / 3).astype(np.float32)


def write_mix_set(root: Path, clips: int = 6, seconds: float = 0.2, val_seconds: float = 1.5) -> Path:
    """root/train/clean + root/train/noise (+ val pairs): the layout `make-speech-corpus` writes."""
    from ganstudio.core.speech.audio_files import write_audio

    for i in range(clips):
        write_audio(root / "train" / "clean" / f"c{i}.wav", voiced(seconds, 120 + 15 * i, i))
    rng = np.random.default_rng(9)
    for name in ("hiss", "rumble"):
        write_audio(root / "train" / "noise" / f"{name}.wav", 0.05 * rng.standard_normal(RATE // 2).astype(np.float32))
    for i in range(2):
        clean = voiced(val_seconds, 200 + 10 * i, 10 + i)  # long enough for STOI and PESQ
        write_audio(root / "val" / "clean" / f"v{i}.wav", clean)
        write_audio(root / "val" / "noisy" / f"v{i}.wav", clean + 0.05 * rng.standard_normal(clean.size).astype(np.float32))
    return root


def write_pair_set(root: Path, names=("a", "b", "c", "d"), seconds: float = 0.2, clean_dir="clean", noisy_dir="noisy") -> Path:
    from ganstudio.core.speech.audio_files import write_audio

    rng = np.random.default_rng(3)
    for i, name in enumerate(names):
        clean = voiced(seconds, 150 + 20 * i, i)
        write_audio(root / clean_dir / f"{name}.wav", clean)
        write_audio(root / noisy_dir / f"{name}.wav", clean + 0.05 * rng.standard_normal(clean.size).astype(np.float32))
    return root


TINY_SEGAN = dict(ngf=2, ndf=2, batch_size=2, window=1024, preview_every=2, checkpoint_every=2)


def train_segan(data_dir: Path, run_dir: Path, steps: int, resume: bool = False, sinks=(), **overrides):
    """A tiny SEGAN run on the CPU (resumed when `resume`); returns the Trainer after it ran."""
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.run_folder import check_resumable
    from ganstudio.ml.training.trainer import Trainer

    stored = check_resumable(run_dir, "segan") if resume else None
    data, config = prepare("segan", resolve_dataset(str(data_dir)), {**TINY_SEGAN, **overrides}, stored)
    trainer = Trainer(config, data, run_dir, steps, sinks=list(sinks), device="cpu", resume=resume)
    trainer.run()
    return trainer

"""`ganstudio eval-denoiser MODEL --data FOLDER`: PESQ-wb, STOI, SSNR and SNR of the noisy input, the classic
baseline (spectral_gate) and the model, over a folder of clean/ + noisy/ pairs (e.g. a corpus's test/)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SYSTEMS = ("noisy", "baseline", "model")


def add_parser(sub) -> None:
    p = sub.add_parser("eval-denoiser", help="score a denoiser (and the noisy input and a classic baseline) on pairs")
    p.add_argument("model", help="denoiser model folder, run folder or installed name")
    p.add_argument("--data", required=True, help="folder with clean/ and noisy/ (same file names), e.g. CORPUS/test")
    p.add_argument("--limit", type=int, help="score only the first N pairs")
    p.add_argument("--json", help="also write the per-file scores here")
    p.add_argument("--window", type=int, help="frame length in samples (default: the model's training window); "
                                               "shorter frames are what live mode uses for lower latency")
    p.set_defaults(func=run)


def score_pairs(session, folder: Path, limit: int | None = None, say=print) -> list[dict]:
    from ganstudio.core.speech.audio_files import read_audio
    from ganstudio.core.speech.spectral_gate import spectral_gate
    from ganstudio.core.speech.data import audio_files
    from ganstudio.core.speech.metrics import speech_scores

    meta = _mixtures(folder)
    rows = []
    for i, clean_path in enumerate(audio_files(folder / "clean")[:limit]):
        clean = read_audio(clean_path).samples
        noisy = read_audio(folder / "noisy" / clean_path.relative_to(folder / "clean")).samples
        outputs = {"noisy": noisy, "baseline": spectral_gate(noisy), "model": session.denoise(noisy)}
        row = {"file": clean_path.name, **meta.get(clean_path.name, {})}
        for system, estimate in outputs.items():
            row.update({f"{system}_{k}": v for k, v in speech_scores(clean, estimate, 16000).items()})
        rows.append(row)
        if say and (i + 1) % 10 == 0:
            say(f"scored {i + 1} pairs")
    return rows


def _mixtures(folder: Path) -> dict:
    path = folder / "mixtures.json"
    return {row["file"]: row for row in json.loads(path.read_text())} if path.exists() else {}


def summarise(rows: list[dict]) -> list[tuple[str, float]]:
    """Means over all pairs, then the model's PESQ-wb per mixing SNR when the folder says the SNRs."""
    out = []
    for system in SYSTEMS:
        for metric in ("pesq_wb", "stoi", "ssnr_db", "snr_db"):
            out.append((f"{system}_{metric}", float(np.mean([r[f"{system}_{metric}"] for r in rows]))))
    for snr in sorted({r["snr_db"] for r in rows if "snr_db" in r}):
        subset = [r for r in rows if r.get("snr_db") == snr]
        for system in SYSTEMS:
            out.append((f"{system}_pesq_wb_at_{snr:g}db", float(np.mean([r[f"{system}_pesq_wb"] for r in subset]))))
    return out


def run(args) -> int:
    from ganstudio.core.atomic import write_text_atomic
    from ganstudio.ml.inference.denoiser import DenoiserSession
    from ganstudio.ml.inference.generator import resolve_model

    session = DenoiserSession.load(resolve_model(args.model), args.window)
    rows = score_pairs(session, Path(args.data), args.limit)
    for name, value in summarise(rows):
        print(f"{name} {value:.4f}")
    print(f"pairs {len(rows)}")
    if args.json:
        write_text_atomic(args.json, json.dumps(rows, indent=1))
    return 0

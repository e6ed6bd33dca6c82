"""`ganstudio bench denoise`: file denoising speed (real-time factor) of the shipped SEGAN on this machine, and live
mode's end-to-end latency and dropouts over a simulated 10-minute stream (audio/simulated.py charges the model's real
compute time to the simulated clock), for each live window the Denoise page offers."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

RATE = 16000


def _model_dir(scratch: Path) -> Path:
    """The shipped denoiser, or an untrained one of the recipe's default shape when none ships."""
    from ganstudio.core.catalog import installed_models

    shipped = [e for e in installed_models("denoiser") if e.shipped]
    if shipped:
        return shipped[0].path
    from ganstudio.ml.training.export import export_generator
    from ganstudio.ml.recipes import get

    config = get("segan").config()
    return export_generator(get("segan").build(config)["generator"], config, scratch / "segan", steps=0)


def _speech_like(seconds: float) -> np.ndarray:
    """A voiced-like test signal (harmonics under a syllable envelope) plus noise: compute does not depend on it."""
    t = np.arange(int(seconds * RATE)) / RATE
    voiced = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12)) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    return (0.2 * voiced / 3 + 0.02 * np.random.default_rng(0).standard_normal(t.size)).astype(np.float32)


def run(quick: bool = False):
    from ganstudio.core.speech.framing import DEFAULT_LIVE_WINDOW, LIVE_WINDOWS
    from ganstudio.audio.simulated import simulate_live
    from ganstudio.ml.inference.denoiser import DenoiserSession

    with tempfile.TemporaryDirectory() as tmp:
        session = DenoiserSession.load(_model_dir(Path(tmp)))
        clip = _speech_like(20.0 if quick else 60.0)
        session.denoise(clip[: 2 * RATE])  # warm-up: graph tracing is not denoising time
        started = time.perf_counter()
        session.denoise(clip)
        yield "denoise_rtf", (time.perf_counter() - started) / (clip.size / RATE), "x"
        seconds = 60.0 if quick else 600.0
        for window in LIVE_WINDOWS:
            session.set_window(window)
            session.process(np.zeros((1, window), np.float32))  # warm-up for this frame length
            report = simulate_live(session, seconds=seconds)
            suffix = "" if window == DEFAULT_LIVE_WINDOW else f"_w{window}"
            yield f"live_latency_ms{suffix}", report.latency_ms, "ms"
            yield f"live_dropouts{suffix}", report.dropouts, "count"
            yield f"live_rtf{suffix}", report.rtf, "x"

"""The Denoise page's engine room: loads a SEGAN denoiser in the background and runs the page's long jobs off the GUI
thread (open a file — long ones streamed —, denoise, score against a reference, add noise, save, clean up after killed
saves), each with progress and cancel; strength blends go through a latest-wins runner. TensorFlow is imported lazily,
on the loading thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from ganstudio.core.catalog import require_model
from ganstudio.core.errors import StudioError
from ganstudio.core.speech.framing import DEFAULT_LIVE_WINDOW, LIVE_WINDOWS  # noqa: F401 - the page takes the default here
from ganstudio.workers.denoise_jobs import (RATE, Clip, add_noise, clean_folder, denoise_clip, open_clip, save_clip,
                                            score_clips, warm_up)
from ganstudio.workers.model_service import ModelService
from ganstudio.workers.named_jobs import NamedJobs


def live_choices() -> list[tuple[int, str]]:
    """(window, label) for live mode's latency/quality choice, with the delay each one will have."""
    from ganstudio.audio.live import planned_latency_ms

    return [(window, f"{what} — window {window} (~{planned_latency_ms(window, window // 2) / 1000:.1f} s delay)")
            for window, what in LIVE_WINDOWS.items()]


@dataclass(frozen=True)
class DenoiserInfo:
    """What the page needs to know about a loaded denoiser (plain data: the UI never touches the ml layer)."""

    path: str
    title: str
    window: int
    hop: int
    rate: int
    stride: int


def load_denoiser(path: str):
    """The real loader: a DenoiserSession (imports TensorFlow, so only ever called on a worker thread) of a model
    folder, a run folder or an installed model's name (core.catalog, as every page and command finds models)."""
    folder = require_model(path, "denoiser")
    from ganstudio.ml.inference.denoiser import DenoiserSession

    return DenoiserSession.load(folder)


class WindowedProcessor:
    """The loaded session run at another frame length (live mode's latency/quality choice), leaving the session's
    own window, which file denoising uses, untouched. The session's process() follows the frames' shape."""

    def __init__(self, session: Any, window: int) -> None:
        stride = int(getattr(session, "stride", 1))
        if window < stride or window % stride:
            raise StudioError(f"A window of {window} samples does not fit this model.",
                              f"Choose a multiple of {stride} samples.")
        self._session = session
        self.window, self.hop, self.rate = int(window), int(window) // 2, int(session.rate)

    def process(self, frames: np.ndarray) -> np.ndarray:
        return self._session.process(frames)


class DenoiseService(ModelService):
    model_loaded = Signal(object)  # DenoiserInfo
    job_progressed = Signal(str, float)  # job name, fraction done
    job_done = Signal(str, object)  # job name, result (see each method)
    job_failed = Signal(str, str)  # job name, message
    job_cancelled = Signal(str)
    blended = Signal(int, float, object)  # request id, strength, Clip of strength·denoised + (1 − strength)·original
    blend_failed = Signal(str)

    def __init__(self, parent: QObject | None = None, load_session: Callable[[str], Any] = load_denoiser) -> None:
        super().__init__("denoise", parent, runner_name="denoise-blend")
        self._load_session = load_session
        self.jobs = NamedJobs(self._threads, "denoise", self)
        self.jobs.progressed.connect(self.job_progressed)
        self.jobs.done.connect(self.job_done)
        self.jobs.failed.connect(self.job_failed)
        self.jobs.cancelled.connect(self.job_cancelled)
        self._runner.delivered.connect(self._on_runner_delivered)
        self._runner.failed.connect(lambda _id, message: self.blend_failed.emit(message))

    # ---- loading (load(path) → `model_loaded` or `load_failed`) -------------------------------------------------
    def _load(self, path: str, still_wanted: Callable[[], bool]) -> tuple[Any, DenoiserInfo] | None:
        session = self._load_session(path)
        if not still_wanted():
            return None
        info = DenoiserInfo(str(path), str(session.title), int(session.window), int(session.hop), int(session.rate),
                            int(getattr(session, "stride", 1)))
        return session, info

    def _after_load(self, session: Any, still_wanted: Callable[[], bool]) -> None:
        if still_wanted():
            warm_up(session, session.window)  # trace the graph now, not on the first Denoise press

    def _session_adopted(self, info: DenoiserInfo) -> None:
        self.model_loaded.emit(info)

    # ---- jobs: each ends in job_done / job_failed / job_cancelled with its name ----------------------------------
    def open_file(self, path: str, name: str = "open") -> None:
        """Read any audio file as 16 kHz mono → Clip (long files stream with progress). Also "reference" clips."""
        self.jobs.start(name, open_clip, str(path), RATE)

    def denoise(self, samples: np.ndarray) -> None:
        """Denoise a whole clip with the loaded model → Clip ("denoise")."""
        if self._session is None:
            raise StudioError("No denoiser is loaded.", "Pick a model above (or open a model folder) first.")
        self.jobs.start("denoise", denoise_clip, self._session, np.asarray(samples, np.float32))

    def score(self, clean: np.ndarray, clips: dict[str, np.ndarray]) -> None:
        """SNR, segmental SNR, PESQ-wb and STOI of each clip against `clean` → Scores ("score")."""
        self.jobs.start("score", score_clips, clean, dict(clips), RATE)

    def add_noise(self, clean: np.ndarray, noise: str, snr_db: float, seed: int = 0) -> None:
        """Mix a synthetic noise (by name) or a noise file into `clean` at `snr_db` → NoisyMix ("add-noise")."""
        self.jobs.start("add-noise", add_noise, clean, noise, float(snr_db), int(seed), RATE)

    def save(self, path: str, samples: np.ndarray) -> None:
        """Write a 16-bit WAV atomically → Saved, with what interrupted saves had left in its folder ("save")."""
        self.jobs.start("save", save_clip, str(path), np.asarray(samples, np.float32), RATE)

    def clean_folder(self, folder: str) -> None:
        """Remove unfinished temp files of interrupted saves from `folder` → Cleaned ("clean")."""
        self.jobs.start("clean", clean_folder, str(folder))

    def prepare_live(self, window: int, strength: float) -> None:
        """A live processor (BlendProcessor around the model at `window`), warmed up off the GUI thread ("live")."""
        if self._session is None:
            raise StudioError("No denoiser is loaded.", "Pick a model above before switching Live on.")
        self.jobs.start("live", self._live_processor, self._session, int(window), float(strength))

    @staticmethod
    def _live_processor(report, cancelled, session: Any, window: int, strength: float):
        from ganstudio.audio.processor import BlendProcessor

        processor = BlendProcessor(WindowedProcessor(session, window), strength)
        warm_up(processor, window)
        return processor

    def cancel(self, name: str) -> None:
        self.jobs.cancel(name)

    def is_running(self, name: str) -> bool:
        return self.jobs.running(name)

    # ---- strength: strength·denoised + (1 − strength)·original, latest request wins ---------------------------
    def blend(self, original: np.ndarray, denoised: np.ndarray, strength: float) -> int:
        """Returns the request id (ids increase, so a page can drop blends made from an older clip)."""
        return self._runner.submit((original, denoised, min(1.0, max(0.0, float(strength)))))

    @staticmethod
    def _render(request) -> tuple[float, Clip]:
        original, denoised, strength = request
        n = min(len(original), len(denoised))
        mixed = denoised[:n] if strength == 1.0 else strength * denoised[:n] + (1.0 - strength) * original[:n]
        return strength, Clip.of(np.asarray(mixed, np.float32))

    def _on_runner_delivered(self, request_id: int, result) -> None:
        self.blended.emit(request_id, *result)

    def shutdown(self, timeout: float = 30.0) -> None:
        self.jobs.cancel_all()
        super().shutdown(timeout)

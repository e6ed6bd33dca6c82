"""The Sketch page's engine room: loads a translator model (pix2pix / pix2pixHD-lite) in the background, renders the
canvas through a latest-wins runner while the user paints, and runs one-off jobs (a photo's edge or label map) off
the GUI thread. TensorFlow is imported lazily, inside the injected session loader."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from ganstudio.core.catalog import require_model
from ganstudio.core.sketch.edges import PAPER
from ganstudio.core.sketch.palette import Palette, generic_palette
from ganstudio.workers.latest_wins import describe_error
from ganstudio.workers.model_service import ModelService

GENERIC_CLASSES = 16  # a label model that says neither its palette nor its class count gets this many generic classes


@dataclass(frozen=True)
class SketchModelInfo:
    """What the page needs to know about a loaded translator (plain data: the UI never touches the ml layer)."""

    path: str
    title: str
    input_kind: str  # "edges" | "labels"
    palette: Palette | None  # None for edge models
    native_size: int
    notes: tuple[str, ...] = ()
    generic_palette: bool = False  # the manifest had no palette, so classes are numbered in generic colours

    def blank_sketch(self, shape: tuple[int, int] | None = None) -> np.ndarray:
        """An empty canvas: all background class, or all paper."""
        fill = self.palette.background if self.palette is not None else PAPER
        return np.full(shape or (self.native_size, self.native_size), fill, np.uint8)


def load_translator(path: str):
    """The real loader: a TranslatorSession (imports TensorFlow, so only ever called on a worker thread) of a model
    folder, a run folder or an installed model's name (core.catalog, as every page and command finds models)."""
    folder = require_model(path, "translator")
    from ganstudio.ml.inference.translator import TranslatorSession

    return TranslatorSession.load(folder)


def sketch_model_info(session, path: str) -> SketchModelInfo:
    notes = list(getattr(session, "notes", None) or [])
    kind = session.input_kind
    palette = session.palette if kind == "labels" else None
    if kind == "labels" and palette is None:
        count = int(getattr(session, "num_classes", 0) or GENERIC_CLASSES)
        palette = generic_palette(count)
        notes.append(f"This model's manifest has no palette: its {count} classes are shown in generic colours "
                     "as \"class 0…\"; paint them by number.")
    return SketchModelInfo(str(path), str(session.title), kind, palette, int(session.native_size), tuple(notes),
                           generic_palette=kind == "labels" and session.palette is None)


class SketchService(ModelService):
    model_loaded = Signal(object)  # SketchModelInfo
    rendered = Signal(object, float, bool)  # uint8 (H, W, 3) image, render time in ms, whether it was a draft
    failed = Signal(str)  # a render failed (the runner keeps serving)
    job_done = Signal(str, object)  # job name, result
    job_failed = Signal(str, str)  # job name, message

    def __init__(self, parent: QObject | None = None,
                 load_session: Callable[[str], Any] = load_translator) -> None:
        super().__init__("sketch", parent)
        self._load_session = load_session
        self._session_serial = 0  # renders of a replaced session are dropped, not shown under the new model
        self.last_request_id = -1
        self.last_delivered_id = -1
        self._runner.delivered.connect(self._on_runner_delivered)
        self._runner.failed.connect(self._on_runner_failed)

    # ---- loading (load(path) → `model_loaded` or `load_failed`) -------------------------------------------------
    def _load(self, path: str, still_wanted: Callable[[], bool]) -> tuple[Any, SketchModelInfo] | None:
        session = self._load_session(path)
        if not still_wanted():
            return None  # superseded, or shut down, while TensorFlow was importing
        info = sketch_model_info(session, path)
        session.render(info.blank_sketch(), 0)  # trace the graph now, not on the first stroke
        return session, info

    def _session_adopted(self, info: SketchModelInfo) -> None:
        self._session_serial += 1
        self.model_loaded.emit(info)

    # ---- rendering ----------------------------------------------------------------------------------------------
    def render(self, sketch: np.ndarray, seed: int = 0, draft: bool = False) -> int:
        """Render a copy of `sketch` (the canvas keeps changing); returns the request id, or -1 with no model yet.

        A draft renders a canvas larger than the model's native size at that size and scales the photo up (fast, and
        at the scale the model was trained at); the Sketch page sends drafts while painting, a full render on pauses.
        """
        if self._session is None:
            return -1
        max_side = int(self._session.native_size) if draft else None
        request = (self._session, self._session_serial, np.array(sketch, np.uint8, copy=True), int(seed), max_side)
        self.last_request_id = self._runner.submit(request)
        return self.last_request_id

    def draft_helps(self, shape: tuple[int, ...]) -> bool:
        """Whether a canvas of this shape is larger than the model's native size (so drafts are faster)."""
        return self._session is not None and max(shape[:2]) > int(self._session.native_size)

    @staticmethod
    def _render(request) -> tuple[int, np.ndarray, float, bool]:
        session, serial, sketch, seed, max_side = request
        start = time.perf_counter()
        image = np.asarray(session.render(sketch, seed, max_side) if max_side else session.render(sketch, seed), np.uint8)
        return serial, image, (time.perf_counter() - start) * 1000.0, max_side is not None

    def _on_runner_delivered(self, request_id: int, result) -> None:
        serial, image, ms, draft = result
        if serial == self._session_serial:
            self.last_delivered_id = request_id
            self.rendered.emit(image, ms, draft)

    def _on_runner_failed(self, _request_id: int, message: str) -> None:
        self.failed.emit(message)

    def is_idle(self) -> bool:
        return self._runner.is_idle()

    # ---- one-off jobs -------------------------------------------------------------------------------------------
    def run_job(self, name: str, function: Callable[..., Any], *args: Any) -> None:
        """Run function(*args) on a worker thread: `job_done(name, result)` or `job_failed(name, message)`."""
        self._threads.start(self._job, name, function, args, name=f"sketch-{name}")

    def _job(self, name: str, function: Callable[..., Any], args: tuple) -> None:
        try:
            result = function(*args)
        except Exception as err:  # noqa: BLE001 - a bad file is reported on the page, never a crash
            self.job_failed.emit(name, describe_error(err))
            return
        self.job_done.emit(name, result)

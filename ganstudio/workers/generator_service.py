"""The Latent page's engine room: loads a generator in the background, computes slider directions, renders z into
images through a latest-wins runner and exports interpolations as animated GIFs. TensorFlow is imported lazily."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from ganstudio.workers.latest_wins import describe_error
from ganstudio.workers.model_service import ModelService

GIF_BATCH = 16  # frames per generator call while exporting: batching is several times faster than one by one


class ExportCancelled(Exception):
    """cancel_export() (or shutdown) stopped a GIF export between two frames."""


@dataclass(frozen=True)
class ModelInfo:
    """What the page needs to know about a loaded generator (plain data: the UI never touches the ml layer)."""

    path: str
    title: str
    recipe: str
    z_dim: int
    image_size: int
    channels: int
    num_classes: int
    class_names: tuple[str, ...]
    prior: str


def model_info(session, path: str) -> ModelInfo:
    c = session.config
    names = tuple(c.class_names) or tuple(f"class {i}" for i in range(c.num_classes))
    return ModelInfo(path, session.manifest.title, c.recipe, c.z_dim, c.image_size, c.channels, c.num_classes,
                     names, c.prior)


def encode_gif(frames: np.ndarray, frame_ms: int, scale: int = 1,
               progress: Callable[[int], None] | None = None) -> bytes:
    """uint8 (N, H, W, C) frames → bytes of a looping animated GIF, each frame upscaled `scale`× (Lanczos).

    Each frame is reduced to its palette here, one by one, with progress(frames done) after each: that is nearly all
    of the encoding time (PIL's save() would do the same conversion, silently, for all frames at once; the bytes are
    identical), so a progress bar can follow it."""
    from PIL import Image

    images = []
    for done, frame in enumerate(frames, 1):
        image = Image.fromarray(frame[..., 0] if frame.shape[-1] == 1 else frame)
        if scale > 1:
            image = image.resize((image.width * scale, image.height * scale), Image.Resampling.LANCZOS)
        images.append(image.convert("P", palette=Image.Palette.ADAPTIVE) if image.mode == "RGB" else image)
        if progress is not None:
            progress(done)
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0)
    return buffer.getvalue()


class GeneratorService(ModelService):
    loaded = Signal(object)  # ModelInfo
    directions_ready = Signal(object)  # list[core.latent.Direction]
    rendered = Signal(int, object)  # request id, uint8 image (H, W, C)
    render_failed = Signal(int, str)
    export_progressed = Signal(int, int, str)  # steps done, total (render and encode each frame, then write), phase
    exported = Signal(str)  # path written
    export_failed = Signal(str)

    def __init__(self, parent: QObject | None = None, direction_samples: int = 1000) -> None:
        super().__init__("latent", parent, runner_name="latent-preview")
        self._cancel_export = threading.Event()
        self._direction_samples = direction_samples
        self._runner.delivered.connect(self.rendered)
        self._runner.failed.connect(self.render_failed)

    # load(path) → `loaded` then `directions_ready`, or `load_failed`
    @staticmethod
    def _load(path: str, still_wanted: Callable[[], bool]) -> tuple[object, ModelInfo] | None:
        from ganstudio.core.catalog import require_model
        from ganstudio.ml.inference.generator import GeneratorSession

        if not still_wanted():
            return None  # superseded, or shut down, while TensorFlow was importing
        folder = require_model(path, "generator")  # a model folder, a run folder or an installed model's name
        session = GeneratorSession.load(folder)
        session.generate(session.sample_z(1, 0))  # trace the tf.function now, not on the first slider move
        return session, model_info(session, str(folder))

    def _session_adopted(self, info: ModelInfo) -> None:
        # adopted on the GUI thread, so the page never renders an old z_dim's point with the new model
        self.loaded.emit(info)

    def _after_load(self, session, still_wanted: Callable[[], bool]) -> None:
        """The slider directions (seconds for a big model): the sliders start with raw z until these arrive."""
        directions = self._directions(session)
        if still_wanted():
            self.directions_ready.emit(directions)

    def _directions(self, session) -> list:
        from ganstudio.core.latent import raw_directions, z_pca_directions
        from ganstudio.ml.inference.latent_directions import all_directions

        try:
            return all_directions(session, self._direction_samples)
        except Exception:  # noqa: BLE001 - an exotic architecture: the model still works with the z-only directions
            z = session.sample_z(self._direction_samples, 2)
            return z_pca_directions(z, min(10, session.z_dim)) + raw_directions(session.z_dim, float(np.std(z)))

    def sample_z(self, seed: int) -> np.ndarray:
        """One z from the loaded model's prior (the same sampler training used)."""
        return self._session.sample_z(1, seed)[0]

    def render(self, z: np.ndarray, label: int | None = None) -> int:
        """Ask for a preview of z; returns the request id that `rendered` will carry (-1: no model yet)."""
        if self._session is None:
            return -1
        return self._runner.submit((self._session, np.asarray(z, np.float32), label))

    @staticmethod
    def _render(request) -> np.ndarray:
        session, z, label = request
        return session.generate(z[None], label)[0]

    def export_gif(self, path: str, frames_z: np.ndarray, label: int | None, frame_ms: int = 60, scale: int = 4) -> None:
        """Render the frames in batches (with progress) and write the GIF atomically, in the background."""
        self._cancel_export.clear()
        self._threads.start(self._export, self._session, str(path), np.asarray(frames_z, np.float32), label,
                            frame_ms, scale, name="latent-gif")

    def cancel_export(self) -> None:
        self._cancel_export.set()

    def _export(self, session, path: str, frames_z: np.ndarray, label, frame_ms: int, scale: int) -> None:
        from ganstudio.core.atomic import write_bytes_atomic

        n = len(frames_z)
        total = 2 * n + 1  # encoding takes as long as rendering; the last step, the write, ends with `exported`

        def step(done: int, phase: str) -> None:  # between frames: report, or stop if cancelled (the app closes)
            if self._cancel_export.is_set():
                raise ExportCancelled
            self.export_progressed.emit(done, total, phase)

        try:
            frames = []
            for start in range(0, n, GIF_BATCH):
                step(start, "Rendering frames")
                frames.append(session.generate(frames_z[start:start + GIF_BATCH], label))
            data = encode_gif(np.concatenate(frames), frame_ms, scale, lambda done: step(n + done, "Encoding GIF"))
            step(2 * n, "Writing GIF…")
            write_bytes_atomic(path, data)
        except ExportCancelled:
            self.export_failed.emit("Export cancelled; no file was written.")
            return
        except Exception as err:  # noqa: BLE001 - disk full, permissions: StudioError text says what to do
            self.export_failed.emit(describe_error(err))
            return
        self.exported.emit(path)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop rendering and exporting, and join every thread (a model load in flight is allowed to finish)."""
        self._cancel_export.set()
        super().shutdown(timeout)

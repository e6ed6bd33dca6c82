"""`ganstudio bench latent`: Latent-page previews per second at 64×64 through the real path (GeneratorService →
latest-wins runner → Qt signal → 256 px preview widget), with slider-like requests."""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path


def _model_folder(scratch: Path) -> Path:
    """The shipped generator if installed, else an untrained one of the same shape (64×64 DCGAN, ngf 32)."""
    from ganstudio.core.catalog import default_generator

    shipped = default_generator()
    if shipped is not None:
        return shipped.path
    from ganstudio.ml.training.export import export_generator
    from ganstudio.ml.recipes import get

    recipe = get("dcgan")
    config = recipe.config(image_size=64, ngf=32, ndf=32, kernel=4, z_dim=100)
    return export_generator(recipe.build(config)["generator"], config, scratch / "model", steps=0)


class SliderDrive:
    """Moves a pretend slider along the first direction (a sine sweep) and counts previews shown on screen."""

    def __init__(self, service, preview, base, direction) -> None:
        self.service, self.preview = service, preview
        self.base, self.direction = base, direction
        self.frames = 0
        self.counting = False
        self._phase = 0.0

    def submit(self) -> None:
        self._phase += 0.05
        value = 3.0 * math.sin(self._phase)
        self.service.render(self.base + value * self.direction.sigma * self.direction.vector)

    def on_rendered(self, _request_id: int, image) -> None:
        self.preview.show_image(image)
        if self.counting:
            self.frames += 1


def _run_for(app, seconds: float) -> None:
    """Run the Qt event loop (as the app does) for `seconds`."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _measure(app, drive: SliderDrive, seconds: float, timer_hz: float | None) -> float:
    """Frames per second shown; timer_hz None: request the next frame as soon as one arrives (as fast as it goes);
    else requests come from a timer at that rate, as from a dragged slider, and stale ones are dropped."""
    from PySide6.QtCore import QTimer

    timer = None
    if timer_hz is None:
        drive.service.rendered.connect(drive.submit)
        drive.submit()
    else:
        timer = QTimer()
        timer.timeout.connect(drive.submit)
        timer.start(int(1000 / timer_hz))
    _run_for(app, 0.5)  # warm-up
    drive.frames, drive.counting = 0, True
    start = time.perf_counter()
    _run_for(app, seconds)
    fps = drive.frames / (time.perf_counter() - start)
    drive.counting = False
    if timer is None:
        drive.service.rendered.disconnect(drive.submit)
    else:
        timer.stop()
    drive.service.runner.wait_idle(5)
    app.processEvents()
    return fps


def run(quick: bool = False):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ganstudio.ui.widgets.latent_preview import LatentPreview
    from ganstudio.workers.generator_service import GeneratorService

    app = QApplication.instance() or QApplication(sys.argv[:1])
    seconds = 1.5 if quick else 4.0
    with tempfile.TemporaryDirectory(prefix="ganstudio-bench-latent-") as scratch:
        service = GeneratorService(direction_samples=300 if quick else 1000)
        ready = []
        service.directions_ready.connect(ready.append)
        service.load_failed.connect(lambda message: ready.append(message))
        service.load(str(_model_folder(Path(scratch))))
        while not ready:
            _run_for(app, 0.05)
        if isinstance(ready[0], str):
            raise RuntimeError(ready[0])
        preview = LatentPreview(256)
        drive = SliderDrive(service, preview, service.sample_z(0), ready[0][0])
        service.rendered.connect(drive.on_rendered)
        try:
            yield "latent_fps", _measure(app, drive, seconds, None), "fps"
            yield "latent_fps_slider_60hz", _measure(app, drive, seconds, 60.0), "fps"
        finally:
            service.shutdown()

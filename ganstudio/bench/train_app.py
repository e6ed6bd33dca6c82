"""The in-app half of `ganstudio bench train`: the real Train page (shown, offscreen) drives the same run, while a
precise 5 ms timer measures how late the GUI thread's event loop answers."""

from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

import numpy as np

TICK_MS = 5


class LatencyProbe:
    """Lateness of a repeating timer = how long the event loop was busy with something else."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.samples: list[float] = []
        self.recording = False
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self.samples.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    def percentiles(self) -> tuple[float, float]:
        if not self.samples:
            return float("nan"), float("nan")
        return float(np.percentile(self.samples, 50)), float(np.percentile(self.samples, 99))


def in_app_figures(overrides: dict, warmup: int, steps: int) -> tuple[float, float, float]:
    """(images/s with the page live, GUI latency p50 ms, p99 ms) for DCGAN on the built-in digits with `overrides`
    (the headless run's, so the two figures compare)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from ganstudio.core.image_data.datasets import builtin_datasets
    from ganstudio.ui.pages.train_page import TrainPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        page = TrainPage(QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat))
        page.tensorboard = False  # the headless figure has no TensorBoard sink either
        page.resize(1200, 780)
        page.show()
        probe, marks, loop = LatencyProbe(), [], QEventLoop()

        def on_steps(batch) -> None:
            step = batch[-1].step
            if step >= warmup:
                probe.recording = True
                marks.append((time.perf_counter(), step))

        page.worker.events.steps_logged.connect(on_steps)
        page.run_finished.connect(lambda _: loop.quit())
        page.run_failed.connect(lambda _: loop.quit())
        probe.timer.start()
        page.start_run("dcgan", builtin_datasets()[0], dict(overrides), warmup + steps, Path(tmp) / "run")
        loop.exec()
        probe.timer.stop()
        page.shutdown()
        page.close()
        page.deleteLater()
        # Qt deletes the page here, on the GUI thread: left to Python's collector, the page's wrappers could be
        # collected later on a tf.data thread of the next run, which aborts ("pure virtual method called").
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del page
        gc.collect()
    (t0, s0), (t1, s1) = marks[0], marks[-1]
    return (s1 - s0) * overrides["batch_size"] / (t1 - t0), *probe.percentiles()

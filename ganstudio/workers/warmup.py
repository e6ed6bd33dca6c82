"""Imports TensorFlow in a background thread after the window is shown, so the first real use is fast."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class TensorFlowWarmup(QObject):
    finished = Signal(str)  # device description

    def start(self) -> None:
        threading.Thread(target=self._run, name="tf-warmup", daemon=True).start()

    def _run(self) -> None:
        try:
            from ganstudio.ml.runtime import tf

            gpus = tf().config.list_physical_devices("GPU")
            self.finished.emit(f"{len(gpus)} GPU(s)" if gpus else "CPU (no GPU visible to TensorFlow)")
        except Exception as err:  # noqa: BLE001 - show it; training will report the full error
            self.finished.emit(f"TensorFlow failed to load: {err}")

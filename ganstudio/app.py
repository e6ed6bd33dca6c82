"""Application start-up: show the main window fast (no TensorFlow on this path), then warm TensorFlow up behind it."""

from __future__ import annotations

import os
import sys
import time

_T0 = time.perf_counter()


def main() -> int:
    return run_app(smoke_test="--smoke-test" in sys.argv[1:])


def run_app(smoke_test: bool = False) -> int:
    if smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ganstudio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ganstudio")
    app.setOrganizationName("ganstudio")
    app.setDesktopFileName("ganstudio")  # lets Wayland match the window to packaging/ganstudio.desktop
    window = MainWindow()
    window.show()
    app.processEvents()
    from ganstudio.core.proc import ms_since

    startup_ms = ms_since(_T0)
    if smoke_test:
        from ganstudio.ui.smoke import run_smoke_test

        return run_smoke_test(app, window, startup_ms)
    window.start_background_warmup()
    return app.exec()

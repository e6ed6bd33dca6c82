"""The main window: a page list on the left, the pages on the right, a status bar. It only composes pages."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget

from ganstudio.ui.pages.denoise_page import DenoisePage
from ganstudio.ui.pages.latent_page import LatentPage
from ganstudio.ui.pages.prompt_page import PromptPage
from ganstudio.ui.pages.sketch_page import SketchPage
from ganstudio.ui.pages.train_page import TrainPage


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.setWindowTitle("ganstudio")
        denoise = DenoisePage(self.settings)
        self.pages = {"Train": TrainPage(self.settings, audio=denoise.audio), "Sketch": SketchPage(self.settings),
                      "Latent": LatentPage(self.settings), "Denoise": denoise,  # one sound service plays all audio
                      "Prompt": PromptPage(self.settings)}
        self._nav = QListWidget()
        self._nav.setFixedWidth(130)
        self._stack = QStackedWidget()
        for name, page in self.pages.items():
            self._nav.addItem(name)
            self._stack.addWidget(page)
        self._nav.currentRowChanged.connect(self._stack.setCurrentIndex)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._nav)
        splitter.addWidget(self._stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([130, 10_000])  # the page list keeps its fixed width; pages get the rest
        self.setCentralWidget(splitter)
        self._device_label = QLabel("TensorFlow: not loaded yet")
        self.statusBar().addPermanentWidget(self._device_label)
        self._add_page_shortcuts()
        self.show_page(self._remembered_page())
        # The first size, on screens that have room; a 1024×700 laptop (with panels) gets what it has, and every
        # page fits in that (tests/test_window_size.py).
        self.resize(QSize(1200, 780).boundedTo(self.screen().availableGeometry().size()))
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _add_page_shortcuts(self) -> None:
        for index, name in enumerate(self.pages):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self._nav.setCurrentRow(i))
            self.addAction(action)

    def _remembered_page(self) -> str:
        """The page open at the last exit, stored by name: adding a page must not reopen the wrong one."""
        name = str(self.settings.value("window/page_name", ""))
        return name if name in self.pages else next(iter(self.pages))

    def show_page(self, name: str) -> None:
        self._nav.setCurrentRow(list(self.pages).index(name))

    def start_background_warmup(self) -> None:
        """Import TensorFlow off the GUI thread after the window is up, then show the device in the status bar."""
        from ganstudio.workers.warmup import TensorFlowWarmup

        self._warmup = TensorFlowWarmup(self)
        self._warmup.finished.connect(self._on_warmup_finished)
        self._warmup.start()

    def _on_warmup_finished(self, description: str) -> None:
        self._device_label.setText(f"Device: {description}")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        for page in self.pages.values():
            if hasattr(page, "shutdown"):
                page.shutdown()  # pages stop their workers (training checkpoints before exit)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/page_name", list(self.pages)[self._stack.currentIndex()])
        super().closeEvent(event)

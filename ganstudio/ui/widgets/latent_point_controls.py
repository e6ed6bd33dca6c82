"""Controls under the Latent preview: seed and re-roll, class selector (conditional generators only), save/load
point buttons and a one-line status."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QGridLayout, QLabel, QPushButton, QSpinBox, QWidget

MAX_SEED = 2**31 - 1


def ask_file(parent: QWidget, settings: QSettings, title: str, kind: str, suffix: str, save: bool) -> str:
    """A file dialog that starts in the last folder used and adds `suffix` to a typed name; "" if cancelled."""
    ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
    path, _ = ask(parent, title, str(settings.value("latent/dir", str(Path.home()))), f"{kind} (*{suffix})")
    if not path:
        return ""
    settings.setValue("latent/dir", str(Path(path).parent))
    return path if not save or path.lower().endswith(suffix) else path + suffix


class LatentPointControls(QWidget):
    seed_changed = Signal(int)
    class_chosen = Signal(int)
    save_requested = Signal()
    load_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setKeyboardTracking(False)  # one point per typed seed, not one per keystroke
        self.seed.setPrefix("seed ")
        self.reroll_button = QPushButton("Re-roll (R)")
        self.class_label, self.class_combo = QLabel("Class"), QComboBox()
        self.save_button, self.load_button = QPushButton("Save point… (Ctrl+S)"), QPushButton("Load point…")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, pair in enumerate(((self.seed, self.reroll_button), (self.class_label, self.class_combo),
                                    (self.save_button, self.load_button))):
            grid.addWidget(pair[0], row, 0)
            grid.addWidget(pair[1], row, 1)
        grid.addWidget(self.status, 3, 0, 1, 2)
        self.seed.valueChanged.connect(self.seed_changed)
        self.reroll_button.clicked.connect(self.reroll)
        self.class_combo.activated.connect(self.class_chosen)
        self.save_button.clicked.connect(self.save_requested)
        self.load_button.clicked.connect(self.load_requested)
        self.set_class_names(())

    def reroll(self) -> None:
        """A fresh random seed; seed_changed follows."""
        self.seed.setValue(int(np.random.default_rng().integers(0, MAX_SEED)))

    def set_seed_silently(self, seed: int) -> None:
        self.seed.blockSignals(True)
        self.seed.setValue(seed)
        self.seed.blockSignals(False)

    def set_class_names(self, names: tuple[str, ...]) -> None:
        self.class_combo.clear()
        self.class_combo.addItems(list(names))
        self.class_label.setVisible(bool(names))
        self.class_combo.setVisible(bool(names))

    def class_index(self) -> int | None:
        return self.class_combo.currentIndex() if self.class_combo.count() else None

    def set_class_index(self, index: int | None) -> None:
        if index is not None and 0 <= index < self.class_combo.count():
            self.class_combo.setCurrentIndex(index)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip("")

    def show_file_status(self, text: str, path: str) -> None:
        """`text` and the file's name: a whole path does not fit under the preview (it was cut off); the tooltip
        keeps the full path."""
        self.status.setText(f"{text} {Path(path).name}")
        self.status.setToolTip(str(path))

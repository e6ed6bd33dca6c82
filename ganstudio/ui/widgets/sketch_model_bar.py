"""The Sketch page's top bar: pick a translator model (shipped, trained runs, or a folder opened before) or open any
model folder; shows what is loaded and load errors inline. Remembers the last model."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ganstudio.core.catalog import installed_models

KIND_NAMES = {"labels": "label map → photo", "edges": "edges → photo"}


def folder_label(path: str) -> str:
    """A run's model lives in RUN/model/: name it after the run, not "model"."""
    folder = Path(path)
    return f"{folder.parent.name} (run)" if folder.name == "model" else folder.name


class SketchModelBar(QWidget):
    model_chosen = Signal(str)  # a model folder (or run folder) path

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.combo = QComboBox()
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setPlaceholderText("No sketch model found: open a model folder")
        self.open_button = QPushButton("Open model folder…")
        self.open_button.setToolTip("A translator model folder (manifest.json of kind \"translator\") or a run folder")
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Model"), 0, 0)
        grid.addWidget(self.combo, 0, 1)
        grid.addWidget(self.open_button, 0, 2)
        grid.addWidget(self.info, 1, 1, 1, 2)
        grid.addWidget(self.error, 2, 1, 1, 2)
        self.combo.activated.connect(self._on_combo_activated)
        self.open_button.clicked.connect(self._on_open_clicked)

    def list_models(self) -> None:
        """Installed translators (shipped first, then trained runs), and the remembered folder if it is elsewhere."""
        self.combo.clear()
        for entry in installed_models("translator"):
            self.add_model(f"{entry.name} — {entry.manifest.title}" + (" (shipped)" if entry.shipped else ""),
                           str(entry.path))
        remembered = self.remembered()
        if remembered and Path(remembered).is_dir():
            self.add_model(f"{folder_label(remembered)} — opened", remembered)
        self.combo.setCurrentIndex(-1)

    def remembered(self) -> str:
        return str(self._settings.value("sketch/model", ""))

    def initial_model(self) -> str:
        """The model to load on the first visit: the remembered one if it still exists, else the first listed."""
        remembered = self.remembered()
        if remembered and Path(remembered).is_dir():
            return remembered
        return self.combo.itemData(0) if self.combo.count() else ""

    def add_model(self, label: str, path: str) -> int:
        index = self.combo.findData(str(path))
        if index < 0:
            self.combo.addItem(label, str(path))
            index = self.combo.count() - 1
            self.combo.setItemData(index, str(path), Qt.ItemDataRole.ToolTipRole)
        return index

    def select(self, path: str) -> None:
        """Show `path` as the current choice (adding it if new) without emitting model_chosen."""
        index = self.add_model(folder_label(path), path)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def show_loaded(self, info) -> None:
        """A model (workers.sketch_service.SketchModelInfo) loaded: select it, describe it, remember it."""
        self.select(info.path)
        self.show_info(f"{info.title} · {KIND_NAMES.get(info.input_kind, info.input_kind)} · "
                       f"renders at {info.native_size}×{info.native_size}")
        self._settings.setValue("sketch/model", info.path)

    def show_info(self, text: str) -> None:
        self.info.setText(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _on_combo_activated(self, index: int) -> None:
        path = self.combo.itemData(index)
        if path:
            self.model_chosen.emit(path)

    def _on_open_clicked(self) -> None:
        start = str(self._settings.value("sketch/model_dir", str(Path.home())))
        path = QFileDialog.getExistingDirectory(self, "Open a sketch model folder", start)
        if path:
            self._settings.setValue("sketch/model_dir", str(Path(path).parent))
            self.select(path)
            self.model_chosen.emit(path)

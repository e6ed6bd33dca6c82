"""The Latent page's top bar: pick a generator (shipped, trained runs, recently opened folders) or open any model
folder; shows what is loaded, and errors inline (a broken folder's ModelFileError text). Remembers the last model."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ganstudio.core.catalog import default_generator, installed_models

RECENT_LIMIT = 10


def folder_label(path: str) -> str:
    """A run's model lives in RUN/model/: name it after the run, not "model"."""
    folder = Path(path)
    return f"{folder.parent.name} (run)" if folder.name == "model" else folder.name


class LatentModelBar(QWidget):
    model_chosen = Signal(str)  # a model folder (or run folder) path

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.start_dir = str(settings.value("latent/model_dir", str(Path.home())))
        self.combo = QComboBox()
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setPlaceholderText("No generator found: open a model folder")
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Open a model folder (generator.keras + manifest.json) or a training run folder")
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Generator"), 0, 0)
        grid.addWidget(self.combo, 0, 1)
        grid.addWidget(self.open_button, 0, 2)
        grid.addWidget(self.info, 1, 1, 1, 2)
        grid.addWidget(self.error, 2, 1, 1, 2)
        self.combo.activated.connect(self._on_combo_activated)
        self.open_button.clicked.connect(self._on_open_clicked)

    def _recent(self) -> list[str]:
        try:
            recent = json.loads(str(self._settings.value("latent/recent", "[]")))
        except ValueError:
            return []
        return [str(p) for p in recent] if isinstance(recent, list) else []

    def list_models(self) -> None:
        """Installed generators (shipped first, then trained runs), then folders opened before that still exist."""
        entries = [(f"{e.name} — {e.manifest.title}" + (" (shipped)" if e.shipped else ""), str(e.path))
                   for e in installed_models("generator")]
        entries += [(f"{folder_label(p)} — opened", p) for p in self._recent() if Path(p).is_dir()]
        self.set_models(entries)
        self.combo.setCurrentIndex(-1)

    def initial_model(self) -> str:
        """The model to load on the first visit: the remembered one, else the shipped one, else the first listed."""
        remembered = str(self._settings.value("latent/model", ""))
        if remembered and Path(remembered).is_dir():
            return remembered
        shipped = default_generator()
        paths = self.paths()
        return str(shipped.path) if shipped else (paths[0] if paths else "")

    def remember(self, path: str) -> None:
        """Called once a model loaded: it becomes the one to reopen, and joins the recent list if not installed."""
        self._settings.setValue("latent/model", path)
        if path not in {str(e.path) for e in installed_models("generator")}:
            recent = [path] + [p for p in self._recent() if p != path]
            self._settings.setValue("latent/recent", json.dumps(recent[:RECENT_LIMIT]))

    def set_models(self, models: list[tuple[str, str]]) -> None:
        """(label, path) pairs; duplicates by path are skipped."""
        self.combo.clear()
        for label, path in models:
            self.add_model(label, path)

    def add_model(self, label: str, path: str) -> int:
        index = self.combo.findData(str(path))
        if index < 0:
            self.combo.addItem(label, str(path))
            self.combo.setItemData(self.combo.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
            index = self.combo.count() - 1
        return index

    def select(self, path: str, label: str | None = None) -> None:
        """Show `path` as the current choice (adding it if new) without emitting model_chosen."""
        index = self.add_model(label or folder_label(path), path)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def paths(self) -> list[str]:
        return [self.combo.itemData(i) for i in range(self.combo.count())]

    def show_loaded(self, info) -> None:
        """A model (workers.generator_service.ModelInfo) loaded: select it, describe it, remember it."""
        self.select(info.path)
        self.show_info(f"{info.title} · {info.recipe} · {info.image_size}×{info.image_size} · "
                       f"z_dim {info.z_dim} ({info.prior} prior)")
        self.remember(info.path)

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
        path = QFileDialog.getExistingDirectory(self, "Open a model folder", self.start_dir)
        if path:
            self.start_dir = str(Path(path).parent)
            self._settings.setValue("latent/model_dir", self.start_dir)
            self.select(path)
            self.model_chosen.emit(path)

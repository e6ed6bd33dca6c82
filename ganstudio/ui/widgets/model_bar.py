"""A page's top bar for picking a model: installed models of one kind (shipped, trained runs), folders opened before,
or any model folder; shows what is loaded and load errors inline, and remembers the last model. The list follows the
runs folder while the app is open (a run that finishes appears). Pages subclass it for their own description of a
loaded model (and, on the Latent page, a longer list of recent folders)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ganstudio.core.catalog import installed_models
from ganstudio.ui.widgets.runs_watcher import RunsWatcher

AUTOLOAD_DELAY_MS = 300  # the first load imports TensorFlow, which holds the GIL for seconds: let the window paint
REFRESH_RETRY_MS = 1000
MIN_NAME_CHARS = 24  # the combo's narrowest: a typical model name; longer ones show when it is wider


@dataclass(frozen=True)
class ModelBarSpec:
    """What differs between pages: the manifest kind listed, where settings live, and the wording."""

    kind: str  # manifest kind listed from the catalog: "generator" | "translator"
    settings_group: str  # settings keys are "<group>/model" (last loaded) and "<group>/model_dir" (dialog start)
    label: str
    placeholder: str
    open_text: str
    open_tooltip: str
    dialog_title: str


def folder_label(path: str) -> str:
    """A run's model lives in RUN/model/: name it after the run, not "model"."""
    folder = Path(path)
    return f"{folder.parent.name} (run)" if folder.name == "model" else folder.name


class ModelBar(QWidget):
    model_chosen = Signal(str)  # a model folder (or run folder) path
    spec: ModelBarSpec  # each page's bar says its own

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._autoload_started = False
        self._load_requested = False  # a model was asked for (by the user or a caller): the autoload must not replace it
        self._listed: list[tuple[str, str]] = []
        self._runs_watcher: RunsWatcher | None = None  # made on the first showing: no file watching during start-up
        self._build()
        self.combo.activated.connect(self._on_combo_activated)
        self.open_button.clicked.connect(self._on_open_clicked)

    def _build(self) -> None:
        self.combo = QComboBox()
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Sized to its longest entry or its placeholder (a hint), one long name made the page (and so the window)
        # wider than a 1024-px screen; it still grows with the page, cuts what does not fit with "…", and each
        # entry's path is its tooltip.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(MIN_NAME_CHARS)
        self.combo.setMinimumWidth(self.combo.fontMetrics().averageCharWidth() * MIN_NAME_CHARS + 40)  # + arrow
        self.combo.setPlaceholderText(self.spec.placeholder)
        self.open_button = QPushButton(self.spec.open_text)
        self.open_button.setToolTip(self.spec.open_tooltip)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(self.spec.label), 0, 0)
        grid.addWidget(self.combo, 0, 1)
        grid.addWidget(self.open_button, 0, 2)
        grid.addWidget(self.info, 1, 1, 1, 2)
        grid.addWidget(self.error, 2, 1, 1, 2)

    def _key(self, name: str) -> str:
        return f"{self.spec.settings_group}/{name}"

    # ---- what is listed, and what loads first -------------------------------------------------------------------
    def list_models(self) -> None:
        """Installed models (shipped first, then trained runs), then folders opened before that still exist."""
        self._listed = self._entries()
        self.set_models(self._listed)
        self.combo.setCurrentIndex(-1)

    def refresh_models(self) -> None:
        """List again if the catalog changed (a run finished, a folder was deleted), keeping the current choice."""
        entries = self._entries()
        if entries == self._listed:
            return
        if self.combo.view().isVisible():  # never rebuild the list under an open drop-down: try again soon
            QTimer.singleShot(REFRESH_RETRY_MS, self, self.refresh_models)
            return
        current, text = self.combo.currentData(), self.combo.currentText()
        self._listed = entries
        self.set_models(entries)
        self.combo.setCurrentIndex(-1)
        if current:
            self.select(current, text)

    def _entries(self) -> list[tuple[str, str]]:
        entries = [(f"{e.name} — {e.manifest.title}" + (" (shipped)" if e.shipped else ""), str(e.path))
                   for e in installed_models(self.spec.kind)]
        return entries + [(f"{folder_label(p)} — opened", p) for p in self.opened_folders() if p and Path(p).is_dir()]

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        """Each showing lists again (cheap: a glob and small manifests); from the first one on, the runs folder is
        watched, so a run that finishes while the page is open appears too."""
        super().showEvent(event)
        if self._runs_watcher is None:
            self._runs_watcher = RunsWatcher(self)
            self._runs_watcher.changed.connect(self.refresh_models)
        self.refresh_models()

    def opened_folders(self) -> list[str]:
        """Folders opened before, listed after the installed models: here just the remembered one."""
        return [self.remembered()]

    def remembered(self) -> str:
        return str(self._settings.value(self._key("model"), ""))

    def initial_model(self) -> str:
        """The model to load on the first visit: the remembered one if it still exists, else fallback_model()."""
        remembered = self.remembered()
        if remembered and Path(remembered).is_dir():
            return remembered
        return self.fallback_model()

    def fallback_model(self) -> str:
        """With nothing remembered: the first listed."""
        paths = self.paths()
        return paths[0] if paths else ""

    def remember(self, path: str) -> None:
        """Called once a model loaded: it becomes the one to reopen."""
        self._settings.setValue(self._key("model"), path)

    def autoload_once(self, load: Callable[[str], None], still_needed: Callable[[], bool]) -> None:
        """On the page's first showing: load(initial_model()) once the window has settled, if still_needed() says
        so by then (no model chosen meanwhile, not shut down). Later calls do nothing."""
        if not self._autoload_started:
            self._autoload_started = True
            QTimer.singleShot(AUTOLOAD_DELAY_MS, self, lambda: self._autoload(load, still_needed))

    def _autoload(self, load: Callable[[str], None], still_needed: Callable[[], bool]) -> None:
        path = self.initial_model() if still_needed() and not self._load_requested else ""
        if path:
            load(path)

    # ---- the combo box ------------------------------------------------------------------------------------------
    def set_models(self, models: list[tuple[str, str]]) -> None:
        """(label, path) pairs; duplicates by path are skipped."""
        self.combo.clear()
        for label, path in models:
            self.add_model(label, path)

    def add_model(self, label: str, path: str) -> int:
        index = self.combo.findData(str(path))
        if index < 0:
            self.combo.addItem(label, str(path))
            index = self.combo.count() - 1
            self.combo.setItemData(index, str(path), Qt.ItemDataRole.ToolTipRole)
        return index

    def select(self, path: str, label: str | None = None) -> None:
        """Show `path` as the current choice (adding it if new) without emitting model_chosen."""
        index = self.add_model(label or folder_label(path), path)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def paths(self) -> list[str]:
        return [self.combo.itemData(i) for i in range(self.combo.count())]

    # ---- what is loaded -----------------------------------------------------------------------------------------
    def show_loaded(self, info) -> None:
        """A model loaded (the service's info, with a .path): select it, describe it, remember it."""
        self.select(info.path)
        self._idle_placeholder()
        self.show_info(self.describe(info))
        self.remember(info.path)

    def describe(self, info) -> str:
        """One line about a loaded model; pages say more."""
        return str(info.title)

    def show_loading(self, path: str) -> None:
        self._load_requested = True
        self.show_error("")
        self.show_info(f"Loading {path} …")
        # The picker is still empty on the first load: "No … model found" would be wrong while one loads.
        self.combo.setPlaceholderText(f"Loading {folder_label(path)}…")

    def show_load_failed(self, message: str, still_loaded: str = "") -> None:
        """Say why the load failed; the picker goes back to the model still loaded, not the broken choice."""
        self.show_error(message)
        self.show_info("")
        self._idle_placeholder()
        if still_loaded:
            self.select(still_loaded)

    def _idle_placeholder(self) -> None:
        """What an empty choice says when nothing loads: no model at all, or pick one of the listed."""
        self.combo.setPlaceholderText(self.spec.placeholder if self.combo.count() == 0 else "Choose a model")

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
        start = str(self._settings.value(self._key("model_dir"), str(Path.home())))
        path = QFileDialog.getExistingDirectory(self, self.spec.dialog_title, start)
        if path:
            self._settings.setValue(self._key("model_dir"), str(Path(path).parent))
            self.select(path)
            self.model_chosen.emit(path)

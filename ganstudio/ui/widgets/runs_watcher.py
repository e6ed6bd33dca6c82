"""Tells a model picker when the runs folder may hold new or changed models: a run finished (or exported) while the
app is open shows up without a restart. One QFileSystemWatcher on the folders core.catalog.catalog_folders() names."""

from __future__ import annotations

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ganstudio.core.catalog import catalog_folders

SETTLE_MS = 500  # an export writes several files in a row, and a training run rewrites model/: rescan once it settles


class RunsWatcher(QObject):
    changed = Signal()  # something under the runs folder changed and has settled: list the models again

    def __init__(self, parent: QObject | None = None, settle_ms: int = SETTLE_MS) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self, singleShot=True, interval=settle_ms)
        self._watcher.directoryChanged.connect(lambda _folder: self._settle.start())  # one rescan per burst
        self._settle.timeout.connect(self._on_settled)
        self._watch()

    def watched(self) -> list[str]:
        return self._watcher.directories()

    def _watch(self) -> None:
        """Follow the folders as they are now: a new run folder and its model/ join, deleted ones leave."""
        wanted = {str(folder) for folder in catalog_folders()}
        current = set(self._watcher.directories())
        if current - wanted:
            self._watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self._watcher.addPaths(sorted(wanted - current))

    def _on_settled(self) -> None:
        self._watch()
        self.changed.emit()

"""The Train page's data set picker: the built-in sets, then the user's folders, then "Choose folder…".

It lists only the data sets the chosen recipe can train on (speech folders for speech recipes, captioned images for
text-to-image recipes, the rest for image recipes): the others are hidden, not removed, and come back with their
kind of recipe.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

CHOOSE_FOLDER = "__choose_folder__"


class DatasetPicker(QComboBox):
    picked = Signal()  # the user chose a data set (after "Choose folder…", only once a folder was chosen)

    def __init__(self, datasets: list, ask_folder: Callable[[], str | None],
                 data_kinds: Callable[[str], frozenset] = lambda folder: frozenset({"images"}),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ask_folder = ask_folder
        self._data_kinds = data_kinds  # folder → what it can train ({"images", "captions"}, {"speech"}), looked at once
        self._kinds_of: dict[str, frozenset] = {}
        self.kind = "images"  # what the chosen recipe trains on: "images" | "speech" | "captions"
        for spec in datasets:
            self.addItem(spec.name, spec)
            self.setItemData(self.count() - 1, f"{spec.name}\n{spec.path}", Qt.ItemDataRole.ToolTipRole)
        self.addItem("Choose folder…", CHOOSE_FOLDER)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)  # long data set names must not widen the whole panel
        self._last_index = 0
        self.activated.connect(self._on_activated)

    def dataset(self):
        """The chosen DatasetSpec (built-in), folder path (str), or CHOOSE_FOLDER."""
        return self.currentData()

    def has_dataset(self) -> bool:
        """False while "Choose folder…" is shown (a speech recipe before any speech folder was chosen)."""
        return self.dataset() not in (None, CHOOSE_FOLDER)

    def slug(self) -> str:
        data = self.dataset()
        return Path(getattr(data, "path", data) or "data").name

    def folders(self) -> list[str]:
        """The user's folders in the list (remembered between sessions)."""
        return [d for d in (self.itemData(i) for i in range(self.count())) if isinstance(d, str) and d != CHOOSE_FOLDER]

    def select(self, path: str) -> None:
        """Choose the data set at `path`, adding it as a folder if it is not listed."""
        for i in range(self.count() - 1):
            if str(getattr(self.itemData(i), "path", self.itemData(i))) == str(path):
                self.setCurrentIndex(i)
                break
        else:
            if path:
                self.add_folder(path)
        self._last_index = self.currentIndex()

    def add_folder(self, folder: str, select: bool = True) -> None:
        index = self.findData(folder)
        if index < 0:
            index = self.count() - 1  # just above "Choose folder…"
            self.insertItem(index, Path(folder).name or folder, folder)
            self.setItemData(index, folder, Qt.ItemDataRole.ToolTipRole)
            self._show_row(index, self.fits(folder))
        if select:
            self.setCurrentIndex(index)

    def add_new_folder(self, folder: str) -> None:
        """A data set folder just made (e.g. by the data preparation dialog): looked at afresh (the same path may have
        been listed before, empty or half-made), listed if needed and chosen, as if the user had picked it."""
        self._kinds_of.pop(str(folder), None)
        index = self.findData(folder)
        if index >= 0:
            self._show_row(index, self.fits(folder))
        self.add_folder(folder)
        self._last_index = self.currentIndex()
        self.picked.emit()

    def fits(self, data) -> bool:
        """Whether a recipe of `self.kind` can train on `data`."""
        if data == CHOOSE_FOLDER:
            return True
        folder = str(getattr(data, "path", data))  # a built-in DatasetSpec or a folder
        if folder not in self._kinds_of:
            try:
                self._kinds_of[folder] = frozenset(self._data_kinds(folder))
            except OSError:  # an unplugged drive or an unreadable folder: nothing we can train on
                self._kinds_of[folder] = frozenset()
        return self.kind in self._kinds_of[folder]

    def show_kind(self, kind: str) -> None:
        """List only the data sets a recipe of `kind` trains on and, when the chosen one does not fit, move to the
        first that does (or to "Choose folder…", which always fits)."""
        if kind == self.kind:
            return
        self.kind = kind
        fitting = [i for i in range(self.count()) if self._show_row(i, self.fits(self.itemData(i)))]
        if not self.fits(self.dataset()):
            self.setCurrentIndex(fitting[0])
            self._last_index = fitting[0]

    def _show_row(self, index: int, shown: bool) -> bool:
        """Hide a row from the list (and from arrow keys) without removing it."""
        self.view().setRowHidden(index, not shown)
        item = self.model().item(index)
        if item is not None:
            item.setEnabled(shown)
        return shown

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) == CHOOSE_FOLDER:
            folder = self._ask_folder()
            if not folder:
                self.setCurrentIndex(self._last_index)
                return
            self.add_folder(folder)
        self._last_index = self.currentIndex()
        self.picked.emit()

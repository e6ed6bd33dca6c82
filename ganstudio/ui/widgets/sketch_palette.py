"""The Sketch page's palette bar: one colour swatch and name per class of a label model (number keys 1–9, 0 pick
the first ten), or a plain pen/eraser choice (ink or paper) for an edge model. Shows what the brush paints."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ganstudio.core.sketch.edges import INK, PAPER
from ganstudio.core.sketch.palette import Palette
from ganstudio.ui.widgets.shortcuts import add_shortcuts

NUMBER_KEYS = "1234567890"  # key "0" picks the tenth class, like a keyboard's number row
EDGE_CHOICES = (("Pen (ink)", INK, (0, 0, 0)), ("Eraser (paper)", PAPER, (255, 255, 255)))


def swatch(rgb: tuple[int, int, int], size: int = 18) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(*rgb))
    painter = QPainter(pixmap)
    painter.setPen(QColor(90, 90, 90))
    painter.drawRect(0, 0, size - 1, size - 1)  # a frame, so white and background-grey swatches stay visible
    painter.end()
    return QIcon(pixmap)


def key_for(index: int) -> str:
    return NUMBER_KEYS[index] if index < len(NUMBER_KEYS) else ""


class SketchPaletteBar(QWidget):
    class_chosen = Signal(int)  # a class id (label models) or INK / PAPER (edge models)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[int] = []
        self._names: list[str] = []
        self.title = QLabel("")
        self.list = QListWidget()
        self.list.setIconSize(QSize(18, 18))
        self.current = QLabel("")
        self.current.setWordWrap(True)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.list, self.current, self.note):
            layout.addWidget(widget)
        self.setFixedWidth(190)
        self.list.currentRowChanged.connect(self._on_list_row_changed)
        self.set_palette(None)

    def set_palette(self, palette: Palette | None, note: str = "") -> None:
        """A label palette (one entry per class), or None for an edge model's pen/eraser choice."""
        if palette is None:
            entries = list(EDGE_CHOICES)
            self.title.setText("Pen")
        else:
            entries = [(name, i, color) for i, (name, color) in enumerate(zip(palette.names, palette.colors))]
            self.title.setText(f"Classes ({len(entries)})")
        self.list.blockSignals(True)
        self.list.clear()
        self._values = [value for _, value, _ in entries]
        self._names = [name for name, _, _ in entries]
        for index, (name, _value, color) in enumerate(entries):
            key = key_for(index)
            item = QListWidgetItem(swatch(color), f"{key}  {name}" if key else f"    {name}")
            item.setToolTip(f"{name} — key {key}" if key else name)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def install_shortcuts(self, widget: QWidget) -> None:
        """Number keys pick classes while `widget` (the page) is shown; a focused spin box still gets its digits."""
        add_shortcuts(widget, ((key, lambda i=index: self.choose_index(i)) for index, key in enumerate(NUMBER_KEYS)))

    def choose_index(self, index: int) -> None:
        if 0 <= index < self.list.count():
            self.list.setCurrentRow(index)

    def choose_value(self, value: int) -> None:
        """Select the entry painting `value` (after the pipette picked it), without emitting class_chosen."""
        if value in self._values:
            self.list.blockSignals(True)
            self.list.setCurrentRow(self._values.index(value))
            self.list.blockSignals(False)
            self._show_current()

    def current_value(self) -> int | None:
        row = self.list.currentRow()
        return self._values[row] if 0 <= row < len(self._values) else None

    def _on_list_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._values):
            self._show_current()
            self.class_chosen.emit(self._values[row])

    def _show_current(self) -> None:
        row = self.list.currentRow()
        self.current.setText(f"Painting: <b>{self._names[row]}</b>" if 0 <= row < len(self._names) else "")

"""History of visited latent points: back/forward buttons and a clickable list (newest at the bottom)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from ganstudio.core.latent import LatentPoint, PointHistory


class LatentHistory(QGroupBox):
    point_chosen = Signal(object)  # LatentPoint the user went back/forward/clicked to

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.history = PointHistory()
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("Previous point (Alt+Left)")
        self.forward_button = QPushButton("Forward ▶")
        self.forward_button.setToolTip("Next point (Alt+Right)")
        self.list = QListWidget()
        self.back_button.clicked.connect(self.go_back)
        self.forward_button.clicked.connect(self.go_forward)
        self.list.itemClicked.connect(lambda item: self._choose(self.list.row(item)))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.forward_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        self._refresh()

    def record(self, point: LatentPoint) -> None:
        if self.history.visit(point):
            self._refresh()

    def clear(self) -> None:
        self.history = PointHistory()
        self._refresh()

    def go_back(self) -> None:
        if self.history.can_go_back():
            self._choose(self.history.index - 1)

    def go_forward(self) -> None:
        if self.history.can_go_forward():
            self._choose(self.history.index + 1)

    def _choose(self, index: int) -> None:
        point = self.history.go_to(index)
        self._refresh()
        self.point_chosen.emit(point)

    def _refresh(self) -> None:
        self.list.clear()
        for number, point in enumerate(self.history.points, 1):
            self.list.addItem(f"{number}. {point.note or 'point'}")
        if self.history.points:
            self.list.setCurrentRow(self.history.index)
            self.list.scrollToItem(self.list.currentItem())
        self.back_button.setEnabled(self.history.can_go_back())
        self.forward_button.setEnabled(self.history.can_go_forward())

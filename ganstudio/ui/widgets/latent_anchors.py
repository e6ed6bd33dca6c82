"""Anchor points and interpolation between them: the anchor list, a position slider, lerp/slerp, and GIF export
options with a progress bar."""

from __future__ import annotations

import string

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QProgressBar, QPushButton, QRadioButton, QSlider, QSpinBox, QWidget)

from ganstudio.core.latent import LatentPoint

POSITION_STEPS = 1000


class LatentAnchors(QGroupBox):
    add_requested = Signal()  # "add the current point as an anchor"
    position_changed = Signal(float)  # t ∈ [0, 1] along the anchor path
    position_settled = Signal(float)
    mode_changed = Signal(str)  # "lerp" | "slerp"
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Anchors and interpolation", parent)
        self._points: list[LatentPoint] = []
        self._thumbnails: list[QPixmap | None] = []
        self.list = QListWidget()
        self.list.setMaximumHeight(96)
        self.list.setIconSize(self.list.iconSize() * 1.5)
        self.add_button = QPushButton("Add current")
        self.remove_button = QPushButton("Remove")
        self.clear_button = QPushButton("Clear")
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.setRange(0, POSITION_STEPS)
        self.lerp_button, self.slerp_button = QRadioButton("lerp"), QRadioButton("slerp")
        self.slerp_button.setChecked(True)
        self._modes = QButtonGroup(self)
        for button in (self.lerp_button, self.slerp_button):
            self._modes.addButton(button)
        self.frames = _spin(8, 600, 48, " frames")
        self.frame_ms = _spin(20, 1000, 60, " ms/frame")
        self.closed = QCheckBox("Loop back to first anchor")
        self.export_button = QPushButton("Export GIF…")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self._lay_out()
        self._connect()
        self._refresh()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(self.list, 0, 0, 1, 4)
        for column, button in enumerate((self.add_button, self.remove_button, self.clear_button)):
            grid.addWidget(button, 1, column)
        modes = QHBoxLayout()
        modes.addWidget(self.lerp_button)
        modes.addWidget(self.slerp_button)
        grid.addLayout(modes, 1, 3)
        grid.addWidget(QLabel("Position"), 2, 0)
        grid.addWidget(self.position, 2, 1, 1, 3)
        grid.addWidget(self.frames, 3, 0)
        grid.addWidget(self.frame_ms, 3, 1)
        grid.addWidget(self.closed, 3, 2, 1, 2)
        grid.addWidget(self.export_button, 4, 0)
        grid.addWidget(self.progress, 4, 1, 1, 3)

    def _connect(self) -> None:
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.clear_button.clicked.connect(lambda: self.set_anchors([]))
        self.position.valueChanged.connect(lambda v: self.position_changed.emit(v / POSITION_STEPS))
        self.position.valueChanged.connect(self._on_position_value_changed)
        self.position.sliderReleased.connect(lambda: self.position_settled.emit(self.t()))
        self._modes.buttonToggled.connect(lambda _b, checked: checked and self.mode_changed.emit(self.mode()))
        self.export_button.clicked.connect(self.export_requested)

    def anchors(self) -> list[LatentPoint]:
        return list(self._points)

    def add_anchor(self, point: LatentPoint, thumbnail: QPixmap | None = None) -> None:
        self._points.append(point)
        self._thumbnails.append(thumbnail)
        self._rebuild()

    def set_anchors(self, points: list[LatentPoint], thumbnails: list[QPixmap | None] | None = None) -> None:
        self._points = list(points)
        self._thumbnails = list(thumbnails) if thumbnails is not None else [None] * len(points)
        self._rebuild()

    def _rebuild(self) -> None:
        self.list.clear()
        for index, (point, thumbnail) in enumerate(zip(self._points, self._thumbnails)):
            item = QListWidgetItem(f"{self._name(index)}  {point.note}")
            if thumbnail is not None:
                item.setIcon(QIcon(thumbnail))
            self.list.addItem(item)
        self._refresh()

    @staticmethod
    def _name(index: int) -> str:
        letters = string.ascii_uppercase
        return letters[index] if index < len(letters) else f"#{index + 1}"

    def mode(self) -> str:
        return "slerp" if self.slerp_button.isChecked() else "lerp"

    def set_mode(self, mode: str) -> None:
        (self.lerp_button if mode == "lerp" else self.slerp_button).setChecked(True)

    def t(self) -> float:
        return self.position.value() / POSITION_STEPS

    def restore_options(self, settings: QSettings) -> None:
        self.set_mode(str(settings.value("latent/mode", "slerp")))
        self.frames.setValue(int(settings.value("latent/frames", self.frames.value())))
        self.frame_ms.setValue(int(settings.value("latent/frame_ms", self.frame_ms.value())))
        self.closed.setChecked(str(settings.value("latent/closed", "false")) == "true")

    def save_options(self, settings: QSettings) -> None:
        settings.setValue("latent/mode", self.mode())
        settings.setValue("latent/frames", self.frames.value())
        settings.setValue("latent/frame_ms", self.frame_ms.value())
        settings.setValue("latent/closed", "true" if self.closed.isChecked() else "false")

    def set_export_progress(self, done: int, total: int, phase: str = "") -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{phase} %p%" if phase else "%p%")

    def set_exporting(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy and len(self._points) >= 2)
        if not busy:
            self.progress.setVisible(False)

    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._points):
            del self._points[row], self._thumbnails[row]
            self._rebuild()

    def _on_position_value_changed(self, _value: int) -> None:
        if not self.position.isSliderDown():
            self.position_settled.emit(self.t())

    def _refresh(self) -> None:
        usable = len(self._points) >= 2
        self.position.setEnabled(usable)
        self.export_button.setEnabled(usable)
        self.remove_button.setEnabled(bool(self._points))
        self.clear_button.setEnabled(bool(self._points))
        self.position.setToolTip("" if usable else "Add two or more anchors to interpolate between them")


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin

"""Direction sliders: N rows of (direction picker, slider in σ units, value), the Latent page's main control."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QSlider, QWidget

from ganstudio.core.latent import Direction

STEPS_PER_SIGMA = 100  # slider ticks per σ: fine enough for smooth dragging


class DirectionSliders(QWidget):
    values_changed = Signal()  # any slider moved or any picker changed: re-render
    settled = Signal()  # a drag ended (or a keyboard/wheel step): a point worth keeping in history

    def __init__(self, rows: int = 8, max_sigma: float = 3.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._directions: list[Direction] = []
        self.preferred_keys: list[str] = []  # the directions picked last time, reselected when a model loads
        self._pickers: list[QComboBox] = []
        self._sliders: list[QSlider] = []
        self._labels: list[QLabel] = []
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        for row in range(rows):
            self._add_row(grid, row, int(max_sigma * STEPS_PER_SIGMA))
        self.reset_button = QPushButton("Reset sliders")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        grid.addWidget(self.reset_button, rows, 0)

    def _add_row(self, grid: QGridLayout, row: int, limit: int) -> None:
        picker = QComboBox()
        picker.setMinimumContentsLength(22)
        picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        picker.currentIndexChanged.connect(self._on_picker_changed)
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(-limit, limit)
        slider.setPageStep(STEPS_PER_SIGMA // 2)
        slider.valueChanged.connect(lambda value, r=row: self._on_slider_changed(r, value))
        slider.sliderReleased.connect(self.settled)
        label = QLabel("+0.00σ")
        label.setMinimumWidth(52)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for column, widget in enumerate((picker, slider, label)):
            grid.addWidget(widget, row, column)
        self._pickers.append(picker)
        self._sliders.append(slider)
        self._labels.append(label)

    @property
    def sliders(self) -> list[QSlider]:
        return self._sliders

    @property
    def pickers(self) -> list[QComboBox]:
        return self._pickers

    def restore_choice(self, settings: QSettings) -> None:
        keys = str(settings.value("latent/directions", ""))
        self.preferred_keys = keys.split(",") if keys else []

    def save_choice(self, settings: QSettings) -> None:
        if self.selected_keys():
            settings.setValue("latent/directions", ",".join(self.selected_keys()))

    def set_directions(self, directions: list[Direction]) -> None:
        """Fill every picker; row i shows preferred_keys[i] if that direction exists, else the i-th direction."""
        self._directions = list(directions)
        index_of = {d.key: i for i, d in enumerate(self._directions)}
        preferred = self.preferred_keys
        for row, picker in enumerate(self._pickers):
            picker.blockSignals(True)
            picker.clear()
            for direction in self._directions:
                picker.addItem(direction.name)
                picker.setItemData(picker.count() - 1, direction.name, Qt.ItemDataRole.ToolTipRole)
            wanted = preferred[row] if row < len(preferred) else None
            picker.setCurrentIndex(index_of.get(wanted, min(row, len(self._directions) - 1)))
            picker.blockSignals(False)
        self.reset()

    def selected_directions(self) -> list[Direction]:
        return [self._directions[p.currentIndex()] for p in self._pickers if p.currentIndex() >= 0]

    def selected_keys(self) -> list[str]:
        return [d.key for d in self.selected_directions()]

    def values(self) -> list[float]:
        """Slider positions in σ units, one per selected direction."""
        return [s.value() / STEPS_PER_SIGMA for s, p in zip(self._sliders, self._pickers) if p.currentIndex() >= 0]

    def is_dragging(self) -> bool:
        return any(s.isSliderDown() for s in self._sliders)

    def reset(self) -> None:
        """All sliders to 0 without signals: the caller re-renders once."""
        for slider, label in zip(self._sliders, self._labels):
            slider.blockSignals(True)
            slider.setValue(0)
            slider.blockSignals(False)
            label.setText("+0.00σ")

    def _on_slider_changed(self, row: int, value: int) -> None:
        self._labels[row].setText(f"{value / STEPS_PER_SIGMA:+.2f}σ")
        self.values_changed.emit()
        if not self._sliders[row].isSliderDown():
            self.settled.emit()  # keyboard, wheel or a programmatic step: no release will follow

    def _on_picker_changed(self, _index: int) -> None:
        self.preferred_keys = self.selected_keys()  # the user's choice carries over to the next model
        self.values_changed.emit()
        self.settled.emit()

    def _on_reset_clicked(self) -> None:
        self.reset()
        self.values_changed.emit()
        self.settled.emit()

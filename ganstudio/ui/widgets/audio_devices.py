"""Input and output device pickers for the Denoise page. When a side has no device (or PortAudio is missing) the
reason is shown in place, in words, and the pickers say so; devices are remembered by name, since their numbers
change when devices come and go."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget


class DeviceBar(QWidget):
    input_chosen = Signal(str)  # device name
    output_chosen = Signal(str)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = None
        self.input, self.output = QComboBox(), QComboBox()
        for combo in (self.input, self.output):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setPlaceholderText("Looking for devices…")
        self.refresh = QPushButton("Refresh")
        self.refresh.setToolTip("List the sound devices again (after plugging one in)")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Microphone"), 0, 0)
        grid.addWidget(self.input, 0, 1)
        grid.addWidget(QLabel("Speakers"), 0, 2)
        grid.addWidget(self.output, 0, 3)
        grid.addWidget(self.refresh, 0, 4)
        grid.addWidget(self.message, 1, 0, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.input.activated.connect(lambda _i: self.input_chosen.emit(self.input_name()))
        self.output.activated.connect(lambda _i: self.output_chosen.emit(self.output_name()))
        self.refresh.clicked.connect(self.refresh_requested)

    def set_choices(self, choices, input_name: str = "", output_name: str = "") -> None:
        """workers.audio_service.DeviceChoices; the remembered names are selected when present (else the first,
        which is the system default)."""
        self.choices = choices
        self._fill(self.input, choices.inputs, input_name, "No microphone")
        self._fill(self.output, choices.outputs, output_name, "No speakers")
        problems = [p for p in dict.fromkeys((choices.input_problem, choices.output_problem)) if p]
        self.message.setText("\n".join(problems))
        self.message.setVisible(bool(problems))

    @staticmethod
    def _fill(combo: QComboBox, options, name: str, none_text: str) -> None:
        combo.clear()
        for option in options:
            combo.addItem(option.label, option)
        combo.setEnabled(bool(options))
        combo.setPlaceholderText(none_text)
        names = [o.name for o in options]
        combo.setCurrentIndex(names.index(name) if name in names else (0 if options else -1))

    @property
    def has_input(self) -> bool:
        return self.input.currentIndex() >= 0

    @property
    def has_output(self) -> bool:
        return self.output.currentIndex() >= 0

    def input_index(self) -> int | None:
        option = self.input.currentData()
        return option.index if option is not None else None

    def output_index(self) -> int | None:
        option = self.output.currentData()
        return option.index if option is not None else None

    def input_name(self) -> str:
        option = self.input.currentData()
        return option.name if option is not None else ""

    def output_name(self) -> str:
        option = self.output.currentData()
        return option.name if option is not None else ""

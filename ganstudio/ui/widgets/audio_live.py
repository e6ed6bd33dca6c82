"""The Denoise page's live panel: switch microphone → denoiser → speakers on and off, trade latency for quality
(the frame length), optionally keep the denoised stream in a file, and watch the measured end-to-end latency,
real-time factor and dropouts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

OFF_TEXT, ON_TEXT, STARTING_TEXT = "Live: off", "● Live: on", "Starting…"


class LivePanel(QGroupBox):
    live_toggled = Signal(bool)  # the user asked to switch live mode on (True) or off
    window_chosen = Signal(int)
    file_toggled = Signal(bool)

    def __init__(self, choices: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__("Live: microphone → denoiser → speakers", parent)
        self.button = QPushButton(OFF_TEXT)
        self.button.setCheckable(True)
        self.button.setToolTip("Denoise the microphone as you speak and play it on the speakers (use headphones)")
        self.window = QComboBox()
        for window, label in choices:
            self.window.addItem(label, window)
        self.window.setToolTip("Longer windows sound better; shorter ones answer sooner")
        self.to_file = QCheckBox("Also save to a file")
        self.to_file.setToolTip("Keep the denoised stream in a WAV file as well")
        self.stats = QLabel("")
        self.stats.setWordWrap(True)
        self.reason = QLabel("")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #616161;")
        grid = QGridLayout(self)
        grid.addWidget(self.button, 0, 0)
        grid.addWidget(self.window, 0, 1)
        grid.addWidget(self.to_file, 1, 0, 1, 2)
        grid.addWidget(self.stats, 2, 0, 1, 2)
        grid.addWidget(self.reason, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.button.clicked.connect(self._on_button_clicked)
        self.window.activated.connect(lambda _i: self.window_chosen.emit(self.chosen_window()))
        self.to_file.toggled.connect(self.file_toggled)

    def chosen_window(self) -> int:
        return int(self.window.currentData())

    def choose_window(self, window: int) -> None:
        index = self.window.findData(int(window))
        self.window.setCurrentIndex(index if index >= 0 else 0)

    def set_available(self, available: bool, reason: str = "") -> None:
        """Live needs a model and both devices; `reason` says what is missing."""
        self.button.setEnabled(available or self.button.isChecked())
        self.reason.setText("" if available else reason)

    def set_state(self, state: str) -> None:
        """"off", "starting" or "on"."""
        self.button.setChecked(state != "off")
        self.button.setText({"off": OFF_TEXT, "starting": STARTING_TEXT, "on": ON_TEXT}[state])
        self.window.setEnabled(state == "off")
        self.to_file.setEnabled(state == "off")
        if state == "off":
            self.stats.setText("")

    def show_stats(self, stats) -> None:
        """ganstudio.audio.live.LiveStats (plain fields), about five times a second."""
        self.stats.setText(f"Latency {stats.latency_ms:.0f} ms · real-time factor {stats.rtf:.2f} · "
                           f"dropouts {stats.dropouts} · input {stats.input_peak_db:.0f} dBFS")
        warn = stats.dropouts > 0 or stats.rtf > 0.9
        self.stats.setStyleSheet("color: #c62828;" if warn else "")

    def _on_button_clicked(self, checked: bool) -> None:
        self.button.setChecked(not checked)  # the page sets the state once the request was handled
        self.live_toggled.emit(checked)

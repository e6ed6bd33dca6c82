"""The Denoise page's transport: Record/Stop with a level meter and the elapsed time, and playback controls —
Play/Pause, the A/B switch (original ⇄ denoised, same position), loop the selection, and where playback is."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ganstudio.ui.widgets.audio_level_meter import AudioLevelMeter

RECORD_TEXT, STOP_TEXT = "● Record", "■ Stop"
PLAY_TEXT, PAUSE_TEXT = "▶ Play", "❚❚ Pause"


def clock(seconds: float) -> str:
    """m:ss.s — tenths matter when comparing a short phrase."""
    seconds = max(0.0, float(seconds))
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}:{rest:04.1f}"


def _row(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout(widget)
    row.setContentsMargins(0, 0, 0, 0)
    return row


class RecordControls(QWidget):
    """Record/Stop, the input level and the recorded time."""

    record_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recording = False
        self.button = QPushButton(RECORD_TEXT)
        self.button.setToolTip("Record the input device (R). The recording is written to disk as it goes.")
        self.meter = AudioLevelMeter()
        self.elapsed = QLabel(clock(0))
        self.elapsed.setMinimumWidth(48)
        row = _row(self)
        row.addWidget(self.button)
        row.addWidget(self.meter, 1)
        row.addWidget(self.elapsed)
        self.button.clicked.connect(self.toggle)

    def toggle(self) -> None:
        """R and the button: start or stop, whichever applies (ignored while recording is unavailable)."""
        if not self.button.isEnabled():
            return
        (self.stop_requested if self.recording else self.record_requested).emit()

    def set_recording(self, recording: bool) -> None:
        self.recording = recording
        self.button.setText(STOP_TEXT if recording else RECORD_TEXT)
        if recording:
            self.meter.reset()
            self.elapsed.setText(clock(0))

    def show_progress(self, seconds: float, level_db: float) -> None:
        self.elapsed.setText(clock(seconds))
        self.meter.set_level(level_db)

    def set_available(self, available: bool, reason: str = "") -> None:
        self.button.setEnabled(available or self.recording)
        self.button.setToolTip(reason or "Record the input device (R). The recording is written to disk as it goes.")


class PlaybackControls(QWidget):
    """Play/Pause, A/B (which clip plays) and looping; the page does the playing."""

    play_toggled = Signal()
    source_chosen = Signal(str)  # "a" (original) or "b" (denoised)
    loop_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_button = QPushButton(PLAY_TEXT)
        self.play_button.setToolTip("Play or pause (Space)")
        self.a_button, self.b_button = QPushButton("A: original"), QPushButton("B: denoised")
        self._group = QButtonGroup(self)
        for button in (self.a_button, self.b_button):
            button.setCheckable(True)
            button.setToolTip("Which clip plays (B switches); playback keeps its position")
            self._group.addButton(button)
        self.a_button.setChecked(True)
        self.loop = QCheckBox("Loop selection")
        self.loop.setToolTip("Play the shaded region of the waveform over and over (drag its edges to choose)")
        self.position = QLabel(f"{clock(0)} / {clock(0)}")
        row = _row(self)
        for widget in (self.play_button, self.a_button, self.b_button, self.loop, self.position):
            row.addWidget(widget)
        row.addStretch(1)
        self.play_button.clicked.connect(self.play_toggled)
        self.a_button.clicked.connect(lambda: self.source_chosen.emit("a"))
        self.b_button.clicked.connect(lambda: self.source_chosen.emit("b"))
        self.loop.toggled.connect(self.loop_toggled)
        self.set_available(False, False)

    @property
    def source(self) -> str:
        return "b" if self.b_button.isChecked() else "a"

    def toggle_source(self) -> None:
        """The A/B key: switch to the other clip (only when there is a denoised one)."""
        if self.b_button.isEnabled():
            (self.a_button if self.source == "b" else self.b_button).click()

    def set_source(self, source: str) -> None:
        (self.b_button if source == "b" else self.a_button).setChecked(True)

    def set_available(self, original: bool, denoised: bool) -> None:
        """Play needs a clip; B needs a denoised one (without it, A is chosen)."""
        self.play_button.setEnabled(original)
        self.a_button.setEnabled(original)
        self.b_button.setEnabled(denoised)
        self.loop.setEnabled(original)
        if not denoised:
            self.a_button.setChecked(True)

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText(PAUSE_TEXT if playing else PLAY_TEXT)

    def show_position(self, seconds: float, duration: float) -> None:
        self.position.setText(f"{clock(seconds)} / {clock(duration)}")

"""The Train page's run buttons with their shortcuts, enabled by the run's state (idle, checking, running, paused,
stopping), and a line under them saying a state the buttons alone do not make plain ("Paused at step 1,200").
The page connects each button's `clicked`; this widget only knows which may be pressed when."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

BUTTONS = {  # name: (label, shortcut, tooltip)
    "start": ("Start", "Ctrl+Return", "Start a new run with these settings"),
    "resume_run": ("Resume run…", "Ctrl+O", "Continue a stopped run exactly where it left off"),
    "pause": ("Pause", "Ctrl+P", "Pause after the current step"),
    "resume": ("Resume", "Ctrl+R", "Continue the paused run"),
    "step": ("Step once", "F10", "One D+G update, then pause again"),
    "stop": ("Stop", "Ctrl+.", "Stop: saves a checkpoint and the model"),
}
ENABLED_IN = {"idle": {"start", "resume_run"}, "running": {"pause", "stop"}, "paused": {"resume", "step", "stop"},
              "stopping": set(), "checking": {"stop"}}
STATE_TEXT = {  # idle and running need no words: the enabled buttons and the moving step count say it
    "paused": "Paused at step {step:,}. Resume (Ctrl+R) continues; Step once (F10) makes one update.",
    "stopping": "Stopping: saving a checkpoint and the model…",
    "checking": "Checking the data set…",
}
PAUSED_STYLE = "QLabel { background: #fff3cd; color: #664d03; border: 1px solid #e0c36a; border-radius: 3px; padding: 3px; }"


class RunControls(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = {name: _button(*spec) for name, spec in BUTTONS.items()}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, button in enumerate(self.buttons.values()):
            grid.addWidget(button, i // 2, i % 2)
        # Held down while paused: a disabled Pause alone looks the same as before a run starts.
        self.buttons["pause"].setCheckable(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        grid.addWidget(self.status, (len(self.buttons) + 1) // 2, 0, 1, 2)
        self.state, self.step = "idle", 0

    def set_state(self, state: str, step: int | None = None) -> None:
        """`step`: the step the run stands at (shown while paused); None keeps the last one."""
        self.state = state
        self.step = self.step if step is None else step
        for name, button in self.buttons.items():
            button.setEnabled(name in ENABLED_IN[state])
        self.buttons["pause"].setChecked(state == "paused")
        text = STATE_TEXT.get(state)
        self.status.setVisible(text is not None)
        self.status.setText((text or "").format(step=self.step))
        self.status.setStyleSheet(PAUSED_STYLE if state == "paused" else "")

    def show_step(self, step: int) -> None:
        """The run moved (a step once, or the steps that finished after Pause was pressed)."""
        if step != self.step:
            self.set_state(self.state, step)


def _button(label: str, shortcut: str, tip: str) -> QPushButton:
    button = QPushButton(label)
    button.setShortcut(QKeySequence(shortcut))
    button.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
    return button

"""The Train page's run buttons with their shortcuts, enabled by the run's state (idle, checking, running, paused,
stopping). The page connects each button's `clicked`; this widget only knows which may be pressed when."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

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


class RunControls(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = {name: _button(*spec) for name, spec in BUTTONS.items()}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, button in enumerate(self.buttons.values()):
            grid.addWidget(button, i // 2, i % 2)

    def set_state(self, state: str) -> None:
        for name, button in self.buttons.items():
            button.setEnabled(name in ENABLED_IN[state])


def _button(label: str, shortcut: str, tip: str) -> QPushButton:
    button = QPushButton(label)
    button.setShortcut(QKeySequence(shortcut))
    button.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
    return button

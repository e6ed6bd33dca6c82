"""The newest training alarm (core.alarms: D wins, exploding gradients, mode collapse, oscillation) as a notice with
its usual remedy and a dismiss button; the run's earlier alarms are listed in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QToolButton, QWidget

from ganstudio.core.training.alarms import TITLES
from ganstudio.core.training.events import AlarmRaised

MAX_HISTORY = 20
STYLE = ("#alarmNotice { background: #fff4e0; border: 1px solid #e0a040; border-radius: 4px; }"
         "#alarmNotice QLabel { color: #4a3300; }")


class AlarmNotice(QFrame):
    """Hidden until an alarm arrives; `clear()` when a new run starts, `dismiss()` hides it until the next one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmNotice")
        self.setStyleSheet(STYLE)
        self.history: list[AlarmRaised] = []  # this run's latest alarms, oldest first
        self.count = 0  # alarms this run, including those that fell off the history
        self.title, self.message, self.remedy = QLabel(), QLabel(), QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        for label in (self.title, self.message, self.remedy):  # wrapped: a long line must not widen the panel
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText("✕")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setToolTip("Dismiss this notice (training goes on; the alarm stays in the log)")
        self.dismiss_button.clicked.connect(self.dismiss)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 4, 6)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.dismiss_button, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.message, 1, 0, 1, 2)
        grid.addWidget(self.remedy, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.hide()

    def show_alarm(self, alarm: AlarmRaised) -> None:
        self.history = [*self.history, alarm][-MAX_HISTORY:]
        self.count += 1
        count = f" ({self.count} this run)" if self.count > 1 else ""
        self.title.setText(f"⚠ {title_of(alarm)} · step {alarm.step:,}{count}")
        self.message.setText(alarm.message)
        self.remedy.setText(f"Try: {alarm.remedy}")
        self.setToolTip(f"Alarms this run ({self.count}), newest first:\n" + "\n".join(
            f"step {a.step:,}: {title_of(a)}" for a in reversed(self.history)))
        self.show()

    def dismiss(self) -> None:
        self.hide()

    def clear(self) -> None:
        self.history, self.count = [], 0
        self.setToolTip("")
        self.hide()


def title_of(alarm: AlarmRaised) -> str:
    return TITLES.get(alarm.kind, alarm.kind.replace("_", " ").capitalize())

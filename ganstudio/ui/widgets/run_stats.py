"""Live figures of a training run (device, step/total, images/s, elapsed, ETA, gradient norms, learning rates) and
its log of notices."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPlainTextEdit, QProgressBar, QSizePolicy, QWidget

from ganstudio.core.training import events as ev

RATE_SMOOTHING = 0.7  # images/s arrive per flush interval and are noisy; the ETA should not jump around


def format_duration(seconds: float) -> str:
    """1:02:03 / 2:03 style; '–' when unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    s = int(round(seconds))
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RunStats(QWidget):
    # (field, row, column pair, spans the row): two figures per row keeps the panel short enough for 768-px screens
    LAYOUT = (("Device", 0, 0, True), ("Step", 1, 0, False), ("Images/s", 1, 1, False), ("Elapsed", 3, 0, False),
              ("ETA", 3, 1, False), ("Grad norm D", 4, 0, False), ("Grad norm G", 4, 1, False),
              ("Learning rates", 5, 0, True))
    FIELDS = tuple(name for name, *_ in LAYOUT)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._labels = {name: QLabel("–") for name in self.FIELDS}
        for name, row, pair, wide in self.LAYOUT:
            grid.addWidget(QLabel(f"{name.replace('Grad norm', 'Grad')}:"), row, 2 * pair)
            grid.addWidget(self._labels[name], row, 2 * pair + 1, 1, 3 if wide else 1)
            self._labels[name].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._labels["Device"].setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        grid.addWidget(self.progress, 2, 0, 1, 4)
        self.reset()

    def reset(self, total_steps: int = 0, batch_size: int = 0) -> None:
        self.total_steps, self.batch_size = total_steps, batch_size
        self.step, self.rate = 0, 0.0
        for name in self.FIELDS[1:]:
            self._labels[name].setText("–")
        self.progress.setRange(0, max(1, total_steps))
        self.progress.setValue(0)

    def value_labels(self) -> list[QLabel]:
        """The labels showing the figures (the page lets them wrap rather than widen its panel)."""
        return list(self._labels.values())

    def text(self, field: str) -> str:
        return self._labels[field].text()

    def set_device(self, description: str) -> None:
        self._labels["Device"].setText(description)

    def set_run(self, step: int, total_steps: int, batch_size: int) -> None:
        """Called when the run starts (step > 0 after a resume). Keeps the learning rates: a resume reports the ones
        its checkpoint left just before it starts (reset() before each run clears them)."""
        rates = self.text("Learning rates")
        self.reset(total_steps, batch_size)
        self._labels["Learning rates"].setText(rates)
        self.step = step
        self._show_step()

    def update_from(self, logged: ev.StepLogged) -> None:
        self.step = logged.step
        new = logged.steps_per_s * self.batch_size  # images/s
        self.rate = new if self.rate == 0 else RATE_SMOOTHING * self.rate + (1 - RATE_SMOOTHING) * new
        self._show_step()
        self._labels["Images/s"].setText(f"{self.rate:.1f}")
        self._labels["Elapsed"].setText(format_duration(logged.elapsed_s))
        self._labels["ETA"].setText(format_duration(self.eta_s()))
        self._labels["Grad norm D"].setText(_number(logged.grad_norms.get("grad_norm_d")))
        self._labels["Grad norm G"].setText(_number(logged.grad_norms.get("grad_norm_g")))
        if logged.lrs:
            self.show_learning_rates(logged.lrs)

    def show_learning_rates(self, lrs: dict[str, float]) -> None:
        """lr_g → "G 0.0002", lr_d → "D 0.0002", any other optimizer by its own field name."""
        shown = [f"{key.removeprefix('lr_').upper() if len(key) == 4 else key} {value:.3g}" for key, value in lrs.items()]
        self._labels["Learning rates"].setText(" · ".join(shown))

    def eta_s(self) -> float:
        if self.rate <= 0 or self.batch_size <= 0:
            return math.nan
        return max(0, self.total_steps - self.step) * self.batch_size / self.rate

    def _show_step(self) -> None:
        total = f" / {self.total_steps:,}" if self.total_steps else ""
        self._labels["Step"].setText(f"{self.step:,}{total}")
        self.progress.setValue(min(self.step, self.progress.maximum()))


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3g}"


class RunLog(QPlainTextEdit):
    """Time-stamped notices: checkpoints, NaN rollbacks, skipped files, learning-rate changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(500)
        self.setMinimumHeight(70)
        # Its default size hint (~200 px) would push the panel past a 768-px screen; take whatever height is left.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.setPlaceholderText("Notices (checkpoints, NaN rollbacks, skipped files) appear here")

    def add(self, text: str) -> None:
        self.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

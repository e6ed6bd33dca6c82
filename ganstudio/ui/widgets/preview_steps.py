"""A step slider over a run's saved preview grids, as TensorBoard's image panel has: drag it or press ← → to look back
at earlier grids. At the right end it follows each new grid; moved back, it stays on the step the user chose."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget


class PreviewStepSlider(QWidget):
    step_chosen = Signal(int)  # the user moved to this step (never emitted for the slider's own following)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: list[int] = []
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # ← → step through the grids once clicked or tabbed to
        self.slider.setPageStep(10)
        self.slider.setToolTip("Earlier preview grids of this run (saved in samples/): drag, or press ← →")
        self.label = QLabel()
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("Step 100,000 · 999/999"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self._refresh()

    # ---- what the run saved -------------------------------------------------------------------------------------
    def set_steps(self, steps: Iterable[int]) -> None:
        """Replace the list (a new or resumed run) and go to its newest grid."""
        self.steps = sorted(set(steps))
        self._refresh(index=len(self.steps) - 1)

    def add_steps(self, steps: Iterable[int]) -> None:
        """Grids of new steps, oldest first. One at or before a listed step means the run rolled back (NaN recovery):
        the grids after it belong to an abandoned future and leave the list."""
        following, shown = self.at_end(), self.current_step()
        for step in steps:
            self.steps = [s for s in self.steps if s < step] + [step]
        if following or shown not in self.steps:
            index = len(self.steps) - 1
        else:
            index = self.steps.index(shown)  # stays on the grid the user is looking at
        self._refresh(index)

    def clear(self) -> None:
        self.set_steps([])

    # ---- where it is --------------------------------------------------------------------------------------------
    def at_end(self) -> bool:
        """True at the newest grid (or with none yet): new grids will be shown as they come."""
        return self.slider.value() >= len(self.steps) - 1

    def current_step(self) -> int | None:
        return self.steps[self.slider.value()] if self.steps else None

    def go_to(self, step: int) -> None:
        """Move to a listed step as the user would (step_chosen is emitted)."""
        self.slider.setValue(self.steps.index(step))

    # ---- internals ----------------------------------------------------------------------------------------------
    def _refresh(self, index: int = 0) -> None:
        self.slider.blockSignals(True)  # moves made here follow the run; only the user's moves choose a step
        self.slider.setRange(0, max(0, len(self.steps) - 1))
        self.slider.setValue(max(0, index))
        self.slider.blockSignals(False)
        self.slider.setEnabled(len(self.steps) > 1)
        self._show_label()

    def _on_slider_value_changed(self, index: int) -> None:
        self._show_label()
        if self.steps:
            self.step_chosen.emit(self.steps[index])

    def _show_label(self) -> None:
        step = self.current_step()
        if step is None:
            self.label.setText("No grids yet")
        else:
            self.label.setText(f"Step {step:,} · {self.slider.value() + 1}/{len(self.steps)}")

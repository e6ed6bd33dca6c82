"""The Sketch page's tool row (brush, eraser, fill, rectangle, ellipse, pipette; brush size; undo/redo/clear; zoom)
and its variation controls (seed spin box and "New variation")."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QSlider, QSpinBox, QToolButton,
                               QWidget)

from ganstudio.ui.widgets.flow_layout import flow_row
from ganstudio.ui.widgets.shortcuts import add_shortcuts

TOOL_BUTTONS = (("brush", "Brush", "B"), ("eraser", "Eraser", "E"), ("fill", "Fill", "F"),
                ("rect", "Rectangle", "R"), ("ellipse", "Ellipse", "O"), ("pipette", "Pipette", "I"))
MAX_BRUSH = 64
MAX_SEED = 2**31 - 1


class UndoStackAction(QAction):
    """Undo or redo with a fixed label (Qt's own actions rename themselves after each command, which makes the tool
    row jump); what it would undo is in the tooltip. Slots are methods, so Qt disconnects them when it is deleted."""

    def __init__(self, verb: str, keys: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(verb, parent)
        self._verb, self._keys = verb, keys
        self.setShortcuts([QKeySequence(k) for k in keys])
        self.show_command("")

    def show_command(self, text: str) -> None:
        self.setToolTip(f"{self._verb} {text.lower()} ({self._keys[0]})".replace("  ", " "))


def undo_actions(stack: QUndoStack | QUndoGroup, parent: QWidget) -> tuple[QAction, QAction]:
    """Undo (Ctrl+Z) and redo (Ctrl+Shift+Z, Ctrl+Y) for `stack` (or a group's active stack), active while `parent`
    (the page) is shown."""
    undo = UndoStackAction("Undo", ("Ctrl+Z",), parent)
    redo = UndoStackAction("Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), parent)
    undo.triggered.connect(stack.undo)
    redo.triggered.connect(stack.redo)
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(undo.show_command)
    stack.redoTextChanged.connect(redo.show_command)
    undo.setEnabled(stack.canUndo())
    redo.setEnabled(stack.canRedo())
    parent.addActions([undo, redo])
    return undo, redo


class SketchToolbar(QWidget):
    tool_chosen = Signal(str)
    brush_size_changed = Signal(int)
    zoom_in_requested = Signal()
    zoom_out_requested = Signal()
    fit_requested = Signal()
    clear_requested = Signal()

    def __init__(self, undo_action: QAction, redo_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tool_buttons: dict[str, QToolButton] = {}
        self._group = QButtonGroup(self)
        tools = [self._tool_button(tool, name, key) for tool, name, key in TOOL_BUTTONS]
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(1, MAX_BRUSH)
        self.size_slider.setFixedWidth(120)
        self.size_label = QLabel("")
        self.size_label.setMinimumWidth(40)
        undo_redo = []
        for action in (undo_action, redo_action):
            button = QToolButton()
            button.setDefaultAction(action)
            undo_redo.append(button)
        self.clear_button = QPushButton("Clear")
        self.zoom_out_button, self.zoom_in_button = QPushButton("−"), QPushButton("+")
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Zoom so the whole canvas fits")
        self.fit_button.setFixedWidth(44)
        self.zoom_label = QLabel("100%")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(28)
            button.setToolTip("Zoom (Ctrl+wheel on the canvas)")
        # Groups that wrap as wholes: one row on a wide window, two below ~1,000 px (a 1024-px screen's Sketch page).
        flow_row(_row(*tools), _row(QLabel("Size"), self.size_slider, self.size_label),
                 _row(*undo_redo, self.clear_button),
                 _row(QLabel("Zoom"), self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button),
                 parent=self)
        self.size_slider.valueChanged.connect(self._on_size_slider_value_changed)
        self.clear_button.clicked.connect(self.clear_requested)
        self.zoom_in_button.clicked.connect(self.zoom_in_requested)
        self.zoom_out_button.clicked.connect(self.zoom_out_requested)
        self.fit_button.clicked.connect(self.fit_requested)

    def _tool_button(self, tool: str, name: str, key: str) -> QToolButton:
        button = QToolButton()
        button.setText(name)
        button.setCheckable(True)
        button.setToolTip(f"{name} ({key})")
        self._group.addButton(button)
        button.clicked.connect(lambda _=False, t=tool: self.tool_chosen.emit(t))
        self.tool_buttons[tool] = button
        return button

    def install_shortcuts(self, widget: QWidget) -> None:
        """Single-letter tool keys, active while `widget` (the page) is shown (hidden pages' shortcuts are off)."""
        add_shortcuts(widget, ((key, self.tool_buttons[tool].click) for tool, _name, key in TOOL_BUTTONS))

    def set_tool(self, tool: str) -> None:
        """Show `tool` as chosen (without emitting tool_chosen)."""
        if tool in self.tool_buttons:
            self.tool_buttons[tool].setChecked(True)

    def set_brush_size(self, size: int) -> None:
        self.size_slider.setValue(size)
        self.size_label.setText(f"{self.size_slider.value()} px")

    def set_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f}%")

    def _on_size_slider_value_changed(self, size: int) -> None:
        self.size_label.setText(f"{size} px")
        self.brush_size_changed.emit(size)


def _row(*widgets: QWidget) -> QWidget:
    group = QWidget()
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return group


class VariationControls(QWidget):
    """Seed 0 is the model's own deterministic output; other seeds vary its noise (dropout or z)."""

    seed_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setPrefix("seed ")
        self.seed.setKeyboardTracking(False)  # one render per typed seed, not one per keystroke
        self.seed.setToolTip("0 = the model's deterministic output; other seeds vary its noise (dropout or z)")
        self.new_button = QPushButton("New variation (V)")
        self.timing = QLabel("")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.seed)
        row.addWidget(self.new_button)
        row.addStretch(1)
        row.addWidget(self.timing)
        self.seed.valueChanged.connect(self.seed_changed)
        self.new_button.clicked.connect(self.new_variation)

    def new_variation(self) -> None:
        """A fresh random non-zero seed; seed_changed follows."""
        self.seed.setValue(int(np.random.default_rng().integers(1, MAX_SEED)))

    def set_seed_silently(self, seed: int) -> None:
        self.seed.blockSignals(True)
        self.seed.setValue(seed)
        self.seed.blockSignals(False)

    def show_timing(self, ms: float, draft: bool = False) -> None:
        self.timing.setText(f"{'draft' if draft else 'render'} {ms:.0f} ms")

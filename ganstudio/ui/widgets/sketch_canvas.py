"""The Sketch page's canvas: paints class ids (a label map) or ink/paper (an edge sketch) into a numpy array with
brush, eraser, fill, rectangle, ellipse and pipette, on a real undo stack, zoomed nearest-neighbour. Each mode (model
kind) has its own pixels and undo history: switching to an edge model and back leaves the label map undoable.

Painting is numpy on the array plus a repaint of the dirty rectangle, so strokes stay smooth while renders run
elsewhere; each mouse move draws the whole segment from the previous position, so fast strokes have no gaps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

from ganstudio.core.sketch.drawing import Box, flood_mask, mask_box, paint_segment, shape_mask, union_box
from ganstudio.core.sketch.edges import INK, PAPER
from ganstudio.core.sketch.palette import Palette
from ganstudio.ui.widgets.sketch_edit import CanvasEdit, crop
from ganstudio.ui.widgets.sketch_pixel_view import SketchPixelView

TOOLS = ("brush", "eraser", "fill", "rect", "ellipse", "pipette")
CHANGED_INTERVAL_MS = 33  # `changed` fires at most ~30 times a second during a stroke
UNDO_LIMIT = 300  # commands hold only their bounding boxes, so this costs little memory


@dataclass
class _Stroke:
    before: np.ndarray  # the whole canvas at the stroke's start; only its bounding box is kept in the command
    value: int
    last: tuple[float, float]
    box: Box | None = None


class SketchCanvas(SketchPixelView):
    changed = Signal()  # pixels changed (throttled while a stroke is in progress)
    stroke_finished = Signal()  # a stroke, fill, shape or clear was completed and recorded
    value_picked = Signal(int)  # the pipette picked a class id (labels) or ink/paper (edges)

    def __init__(self, shape: tuple[int, int] = (256, 256), mode: str = "edges", palette: Palette | None = None,
                 parent: QWidget | None = None) -> None:
        fill = palette.background if mode == "labels" and palette else PAPER
        super().__init__(np.full(shape, fill, np.uint8), mode, palette if mode == "labels" else None, parent)
        self.undo_group = QUndoGroup(self)  # undo/redo act on the active stack: the current mode's
        self._parked: dict[str, tuple[np.ndarray, QUndoStack]] = {}  # the other modes' pixels and histories
        self.undo_group.setActiveStack(self._new_stack())
        self.tool, self.brush_size = "brush", 8
        self.value = self._default_value()
        self._stroke: _Stroke | None = None
        self._shape: list | None = None  # [start pixel, end pixel, value] while a rectangle/ellipse is dragged
        self._cursor: QPointF | None = None
        self._changed_pending = False
        self._changed_timer = QTimer(self, singleShot=True, interval=CHANGED_INTERVAL_MS)
        self._changed_timer.timeout.connect(self._on_changed_timer_timeout)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # ---- state --------------------------------------------------------------------------------------------------
    @property
    def undo_stack(self) -> QUndoStack:
        """The current mode's undo history."""
        return self.undo_group.activeStack()

    def _new_stack(self) -> QUndoStack:
        stack = QUndoStack(self)
        stack.setUndoLimit(UNDO_LIMIT)
        self.undo_group.addStack(stack)
        return stack

    @property
    def array(self) -> np.ndarray:
        """The sketch itself (do not modify; copy it to keep it)."""
        return self._array

    @property
    def background(self) -> int:
        """What the eraser paints: the palette's background class, or paper."""
        return self.palette.background if self.mode == "labels" and self.palette else PAPER

    def _default_value(self) -> int:
        if self.mode != "labels" or self.palette is None:
            return INK
        return next((i for i in range(len(self.palette)) if i != self.palette.background), 0)

    def set_mode(self, mode: str, palette: Palette | None = None) -> None:
        """Switch between "labels" (with its palette) and "edges"; the pixels stay, only their display changes."""
        switched = mode != self.mode  # the edge pen's ink is 0, the background class of most palettes: a no-op brush
        self.mode, self.palette = mode, palette if mode == "labels" else None
        if switched or mode != "labels" or palette is None or not 0 <= self.value < len(palette):
            self.value = self._default_value()
        self._rebuild_display()

    def switch_mode(self, mode: str, palette: Palette | None, fresh: Callable[[], np.ndarray]) -> None:
        """Change to another mode's canvas: this mode's pixels and undo history are set aside, and the other mode's
        come back as this session left them, or `fresh()` (called after the mode changed) with an empty history."""
        self._parked[self.mode] = (self._array, self.undo_stack)
        self.set_mode(mode, palette)
        array, stack = self._parked.pop(mode, (None, None))
        if stack is None:
            array, stack = np.ascontiguousarray(fresh(), np.uint8), self._new_stack()
        self.undo_group.setActiveStack(stack)
        self._write(None, array)

    def is_uniform(self) -> bool:
        """One value everywhere (an empty canvas, or one filled wholly with a class): nothing a model can follow."""
        return not (self._array != self._array.flat[0]).any()

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        self.tool = tool
        self.update()

    def set_brush_size(self, size: int) -> None:
        self.brush_size = max(1, int(size))
        self.update()

    def set_value(self, value: int) -> None:
        self.value = int(value)

    # ---- whole-canvas edits -------------------------------------------------------------------------------------
    def set_sketch(self, array: np.ndarray, text: str = "Replace canvas", undoable: bool = True) -> None:
        """Show a new sketch (any size); undoable like a stroke, or with a fresh undo history (another model kind)."""
        array = np.ascontiguousarray(array, np.uint8).copy()
        before = self._array
        if undoable:
            self._write(None, array, notify=False)
            self._record(text, None, before, array)
        else:
            self.undo_stack.clear()
            self._write(None, array)

    def clear(self) -> None:
        """Fill the canvas with the background (undoable)."""
        if (self._array != self.background).any():
            self.set_sketch(np.full(self._array.shape, self.background, np.uint8), "Clear")

    # ---- mouse --------------------------------------------------------------------------------------------------
    def _pixel(self, pos: QPointF) -> tuple[float, float]:
        return pos.x() / self.zoom, pos.y() / self.zoom

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton) or self._busy():
            return
        point = self._pixel(event.position())
        erase = self.tool == "eraser" or event.button() == Qt.MouseButton.RightButton  # right button erases
        value = self.background if erase else self.value
        if self.tool in ("brush", "eraser"):
            self._stroke = _Stroke(self._array.copy(), value, point)
            self._stroke_to(point)
        elif self.tool == "fill":
            self._fill(int(point[0]), int(point[1]), value)
        elif self.tool == "pipette":
            self._pick(int(point[0]), int(point[1]))
        else:
            start = (int(point[0]), int(point[1]))
            self._shape = [start, start, value]
            self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._move_cursor(event.position())
        point = self._pixel(event.position())
        if self._stroke is not None:
            self._stroke_to(point)
        elif self._shape is not None:
            self._shape[1] = (int(point[0]), int(point[1]))
            self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if self._stroke is not None:
            self._stroke_to(self._pixel(event.position()))
            self._end_stroke()
        elif self._shape is not None:
            self._finish_shape()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._move_cursor(None)
        super().leaveEvent(event)

    def _busy(self) -> bool:
        return self._stroke is not None or self._shape is not None

    # ---- tools --------------------------------------------------------------------------------------------------
    def _stroke_to(self, point: tuple[float, float]) -> None:
        stroke = self._stroke
        box = paint_segment(self._array, stroke.last, point, self.brush_size / 2, stroke.value)
        stroke.last = point
        if box is not None:
            stroke.box = union_box(stroke.box, box)
            self._refresh(box)
            self._schedule_changed()

    def _end_stroke(self) -> None:
        stroke, self._stroke = self._stroke, None
        if stroke.box is not None:
            self._record("Stroke", stroke.box, crop(stroke.before, stroke.box), crop(self._array, stroke.box))

    def _fill(self, x: int, y: int, value: int) -> None:
        mask = flood_mask(self._array, x, y)
        if mask is None or self._array[y, x] == value:
            return
        box = mask_box(mask)
        before = crop(self._array, box)
        self._array[mask] = value
        self._refresh(box)
        self._record("Fill", box, before, crop(self._array, box))

    def _pick(self, x: int, y: int) -> None:
        if 0 <= y < self._array.shape[0] and 0 <= x < self._array.shape[1]:
            self.value = int(self._array[y, x])
            self.value_picked.emit(self.value)

    def _finish_shape(self) -> None:
        (start, end, value), self._shape = self._shape, None
        outline = 0 if self.mode == "labels" else self.brush_size  # label regions are areas; edge shapes are lines
        found = shape_mask(self._array.shape, start, end, self.tool, outline)
        self.update()
        if found is None:
            return
        box, mask = found
        before = crop(self._array, box)
        self._array[box[1]:box[3], box[0]:box[2]][mask] = value
        self._refresh(box)
        self._record("Rectangle" if self.tool == "rect" else "Ellipse", box, before, crop(self._array, box))

    def _record(self, text: str, box: Box | None, before: np.ndarray, after: np.ndarray) -> None:
        """Push the finished edit onto the undo stack (unless it changed nothing) and tell listeners at once."""
        if before.shape == after.shape and np.array_equal(before, after):
            return
        self.undo_stack.push(CanvasEdit(self, text, box, before, after))
        self._emit_changed_now()
        self.stroke_finished.emit()

    def _write(self, box: Box | None, pixels: np.ndarray, notify: bool = True) -> None:
        """Put pixels back (undo/redo) or swap in a whole new array (box None)."""
        self._stroke = self._shape = None  # an undo mid-drag ends the drag; what it painted stays on the canvas
        if box is None:
            self._array = pixels.copy()
            self._rebuild_display()
        else:
            self._array[box[1]:box[3], box[0]:box[2]] = pixels
            self._refresh(box)
        if notify:
            self._emit_changed_now()

    # ---- change notification ------------------------------------------------------------------------------------
    def _schedule_changed(self) -> None:
        if self._changed_timer.isActive():
            self._changed_pending = True  # coalesced into the emission at the end of this interval
            return
        self.changed.emit()
        self._changed_timer.start()

    def _on_changed_timer_timeout(self) -> None:
        if self._changed_pending:
            self._changed_pending = False
            self.changed.emit()
            self._changed_timer.start()

    def _emit_changed_now(self) -> None:
        self._changed_timer.stop()
        self._changed_pending = False
        self.changed.emit()

    def _move_cursor(self, pos: QPointF | None) -> None:
        for old_or_new in (self._cursor, pos):
            if old_or_new is not None:
                r = self.brush_size * self.zoom / 2 + 3
                self.update(QRectF(old_or_new.x() - r, old_or_new.y() - r, 2 * r, 2 * r).toAlignedRect())
        self._cursor = pos

    def _paint_overlay(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._shape is not None:
            (ax, ay), (bx, by) = self._shape[0], self._shape[1]
            z = self.zoom
            rect = QRectF(min(ax, bx) * z, min(ay, by) * z, (abs(bx - ax) + 1) * z, (abs(by - ay) + 1) * z)
            draw = painter.drawRect if self.tool == "rect" else painter.drawEllipse
            _twice(painter, lambda: draw(rect))
        elif self._cursor is not None and self.tool in ("brush", "eraser"):
            radius = max(self.brush_size * self.zoom / 2, 1.0)
            _twice(painter, lambda: painter.drawEllipse(self._cursor, radius, radius))


def _twice(painter: QPainter, draw) -> None:
    """Black, then white dashes on top: an outline that shows on paper, ink and every palette colour."""
    painter.setPen(QPen(QColor(0, 0, 0, 200), 1))
    draw()
    painter.setPen(QPen(QColor(255, 255, 255, 220), 1, Qt.PenStyle.DashLine))
    draw()

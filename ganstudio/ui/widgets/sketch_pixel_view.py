"""A zoomable pixel view of an (H, W) uint8 sketch: class ids shown in palette colours or an edge sketch in grey,
nearest-neighbour zoom, and repaints of only a dirty rectangle. The Sketch canvas adds the editing on top."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from ganstudio.core.sketch.drawing import Box
from ganstudio.core.sketch.palette import Palette
from ganstudio.core.sketch.sketch_io import sketch_to_rgb

ZOOM_LEVELS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0)


class SketchPixelView(QWidget):
    zoom_changed = Signal(float)

    def __init__(self, array: np.ndarray, mode: str, palette: Palette | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode, self.palette, self.zoom = mode, palette, 1.0
        self._array = array
        self._rebuild_display()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = float(min(max(zoom, ZOOM_LEVELS[0]), ZOOM_LEVELS[-1]))
        self._fit_widget()
        self.update()
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_LEVELS if z > self.zoom + 1e-6), ZOOM_LEVELS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_LEVELS) if z < self.zoom - 1e-6), ZOOM_LEVELS[0]))

    def fit_into(self, size: QSize) -> None:
        """The largest zoom level at which the whole sketch fits in `size` (e.g. the scroll area's viewport)."""
        h, w = self._array.shape
        fitting = [z for z in ZOOM_LEVELS if w * z <= size.width() and h * z <= size.height()]
        self.set_zoom(fitting[-1] if fitting else ZOOM_LEVELS[0])

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.ignore()  # a plain wheel scrolls the surrounding scroll area
            return
        (self.zoom_in if event.angleDelta().y() > 0 else self.zoom_out)()
        event.accept()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(math.ceil(self._array.shape[1] * self.zoom), math.ceil(self._array.shape[0] * self.zoom))

    def _fit_widget(self) -> None:
        self.setFixedSize(self.sizeHint())

    def display_rgb(self) -> np.ndarray:
        """The canvas as shown (palette colours or grey), uint8 (H, W, 3)."""
        return self._display.copy()

    def _rebuild_display(self) -> None:
        palette = self.palette if self.mode == "labels" else None
        self._display = np.ascontiguousarray(sketch_to_rgb(self._array, palette))
        h, w = self._array.shape
        self._image = QImage(self._display.data, w, h, 3 * w, QImage.Format.Format_RGB888)  # shares _display's memory
        self._fit_widget()
        self.update()

    def _refresh(self, box: Box) -> None:
        x0, y0, x1, y1 = box
        palette = self.palette if self.mode == "labels" else None
        self._display[y0:y1, x0:x1] = sketch_to_rgb(self._array[y0:y1, x0:x1], palette)
        self.update(self._widget_rect(box))

    def _widget_rect(self, box: Box) -> QRect:
        z = self.zoom
        x0, y0 = math.floor(box[0] * z), math.floor(box[1] * z)
        return QRect(x0, y0, math.ceil(box[2] * z) - x0 + 1, math.ceil(box[3] * z) - y0 + 1)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # nearest neighbour: crisp pixels
        r, z = event.rect(), self.zoom
        h, w = self._array.shape
        x0, y0 = max(0, math.floor(r.left() / z)), max(0, math.floor(r.top() / z))
        x1, y1 = min(w, math.ceil((r.right() + 1) / z)), min(h, math.ceil((r.bottom() + 1) / z))
        if x1 > x0 and y1 > y0:  # only the exposed pixels, so a dab's repaint costs what the dab covers
            painter.drawImage(QRectF(x0 * z, y0 * z, (x1 - x0) * z, (y1 - y0) * z), self._image,
                              QRectF(x0, y0, x1 - x0, y1 - y0))
        self._paint_overlay(painter)

    def _paint_overlay(self, painter: QPainter) -> None:
        """Drawn over the pixels in widget coordinates (subclasses: tool previews, the brush outline)."""

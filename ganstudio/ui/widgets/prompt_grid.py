"""A grid of generated images, scaled to fit; click one to select it, right-click for its menu. Keeps the uint8
arrays it shows, so the page can save the grid or one image, or look up a clicked image's nearest photos."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ganstudio.ui.widgets.image_view import to_qimage
from ganstudio.workers.prompt_service import grid_columns

GAP = 4


class PromptGrid(QWidget):
    image_clicked = Signal(int)
    image_menu_requested = Signal(int, QPoint)  # index, global position

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: np.ndarray | None = None
        self.selected = -1
        self._pixmaps: list[QPixmap] = []
        self._placeholder = placeholder
        self.frames_shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)

    def set_images(self, images: np.ndarray) -> None:
        """uint8 (n, S, S, 3); the selection stays on its index while there is one."""
        self.images = np.asarray(images, np.uint8)
        self._pixmaps = [QPixmap.fromImage(to_qimage(image)) for image in self.images]
        if self.selected >= len(self._pixmaps):
            self.selected = -1
        self.frames_shown += 1
        self.update()

    def clear(self, placeholder: str | None = None) -> None:
        self.images, self._pixmaps, self.selected = None, [], -1
        if placeholder is not None:
            self._placeholder = placeholder
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    def placeholder(self) -> str:
        return self._placeholder

    def selected_image(self) -> np.ndarray | None:
        return self.images[self.selected] if self.images is not None and self.selected >= 0 else None

    # ---- geometry -------------------------------------------------------------------------------------------
    def _layout(self) -> tuple[int, int, int]:
        """(columns, rows, cell side) of the largest square cells that fit."""
        n = len(self._pixmaps)
        cols = grid_columns(n)
        rows = math.ceil(n / cols)
        side = min((self.width() - GAP * (cols - 1)) // cols, (self.height() - GAP * (rows - 1)) // rows)
        return cols, rows, max(1, side)

    def cell_rect(self, index: int) -> QRect:
        cols, rows, side = self._layout()
        x0 = (self.width() - (cols * side + GAP * (cols - 1))) // 2
        y0 = (self.height() - (rows * side + GAP * (rows - 1))) // 2
        row, col = divmod(index, cols)
        return QRect(x0 + col * (side + GAP), y0 + row * (side + GAP), side, side)

    def index_at(self, pos: QPoint) -> int:
        return next((i for i in range(len(self._pixmaps)) if self.cell_rect(i).contains(pos)), -1)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(520, 300)

    # ---- events ---------------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        if not self._pixmaps:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for i, pixmap in enumerate(self._pixmaps):
            painter.drawPixmap(self.cell_rect(i), pixmap)
        if self.selected >= 0:
            painter.setPen(QPen(QColor("#ffb000"), 3))
            painter.drawRect(self.cell_rect(self.selected).adjusted(1, 1, -2, -2))

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        index = self.index_at(event.position().toPoint())
        if index < 0:
            return
        self.selected = index
        self.update()
        if event.button() == Qt.MouseButton.RightButton:
            self.image_menu_requested.emit(index, event.globalPosition().toPoint())
        elif event.button() == Qt.MouseButton.LeftButton:
            self.image_clicked.emit(index)

"""Shows a numpy uint8 image (H, W, C) scaled to fit, keeping its aspect ratio; nearest or smooth filtering."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

_FORMATS = {1: QImage.Format.Format_Grayscale8, 3: QImage.Format.Format_RGB888, 4: QImage.Format.Format_RGBA8888}


def to_qimage(image: np.ndarray) -> QImage:
    """A deep-copied QImage of a uint8 (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) array."""
    array = np.ascontiguousarray(image if image.ndim == 3 else image[..., None], dtype=np.uint8)
    h, w, c = array.shape
    if c not in _FORMATS:
        raise ValueError(f"cannot show an image with {c} channels")
    # QImage only borrows the buffer: copy() so the array may be freed or reused by the caller.
    return QImage(array.data, w, h, w * c, _FORMATS[c]).copy()


class ImageView(QWidget):
    """Paints the latest image centred and scaled; `smooth=False` keeps pixels crisp when upscaling small grids."""

    def __init__(self, placeholder: str = "", smooth: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap = QPixmap()
        self._placeholder = placeholder
        self._smooth = smooth
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def set_image(self, image: np.ndarray) -> None:
        self._pixmap = QPixmap.fromImage(to_qimage(image))
        self.update()

    def clear(self) -> None:
        self._pixmap = QPixmap()
        self.update()

    def pixmap(self) -> QPixmap:
        return self._pixmap

    def set_smooth(self, smooth: bool) -> None:
        self._smooth = smooth
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    def placeholder(self) -> str:
        """What shows while there is no image."""
        return self._placeholder

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(260, 260)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        if self._pixmap.isNull():
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._smooth)
        painter.drawPixmap(self._target_rect(), self._pixmap)

    def _target_rect(self) -> QRect:
        size = self._pixmap.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        return QRect(x, y, size.width(), size.height())

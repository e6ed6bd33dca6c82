"""The Latent page's large preview: a generated uint8 image, upscaled smoothly to a fixed square size."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget


def to_qimage(image: np.ndarray) -> QImage:
    """uint8 (H, W), (H, W, 1) or (H, W, 3) → an owning QImage (copied: numpy keeps its own buffer)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 1:
        image = np.ascontiguousarray(image[..., 0])
    height, width = image.shape[:2]
    if image.ndim == 2:
        return QImage(image.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QImage(image.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def to_pixmap(image: np.ndarray, size: int) -> QPixmap:
    pixmap = QPixmap.fromImage(to_qimage(image))
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class LatentPreview(QLabel):
    def __init__(self, size: int = 256, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self.frames_shown = 0
        self.setFixedSize(size + 4, size + 4)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWordWrap(True)
        self.show_message("No generator loaded")

    def show_image(self, image: np.ndarray) -> None:
        self.setPixmap(to_pixmap(image, self._size))
        self.frames_shown += 1

    def show_message(self, text: str) -> None:
        self.clear()
        self.setText(text)

    def current_pixmap(self) -> QPixmap | None:
        pixmap = self.pixmap()
        return None if pixmap is None or pixmap.isNull() else pixmap

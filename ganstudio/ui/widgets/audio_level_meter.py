"""A horizontal input level meter (−60…0 dBFS): green, then amber near full scale, red when clipping, with a peak
marker that falls back slowly so a short shout stays readable."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0
WARN_DB, CLIP_DB = -12.0, -1.0
PEAK_FALL_DB = 1.5  # per update (~10 per second): the peak marker takes a few seconds to come down


class AudioLevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level_db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(80)
        self.setToolTip("Input level (dBFS). Red means the recording clips: move away from the microphone.")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(160, 14)

    def set_level(self, level_db: float) -> None:
        """The latest peak level in dBFS; the held peak follows it up at once and falls slowly."""
        self.level_db = max(FLOOR_DB, min(0.0, float(level_db)))
        self.peak_db = max(self.level_db, self.peak_db - PEAK_FALL_DB)
        self.update()

    def reset(self) -> None:
        self.level_db = self.peak_db = FLOOR_DB
        self.update()

    @staticmethod
    def fraction(db: float) -> float:
        return (db - FLOOR_DB) / -FLOOR_DB

    def _colour(self) -> QColor:
        if self.level_db >= CLIP_DB:
            return QColor("#d32f2f")
        return QColor("#f9a825") if self.level_db >= WARN_DB else QColor("#43a047")

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.fillRect(rect, QColor("#263238"))
        width = rect.width() * self.fraction(self.level_db)
        painter.fillRect(QRectF(rect.left(), rect.top(), width, rect.height()), self._colour())
        x = rect.left() + rect.width() * self.fraction(self.peak_db)
        painter.setPen(QColor("#ffffff"))
        painter.drawLine(int(x), int(rect.top()), int(x), int(rect.bottom()))
        painter.setPen(QColor("#90a4ae"))
        painter.drawRect(rect)
        painter.end()

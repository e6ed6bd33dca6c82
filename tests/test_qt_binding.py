"""Guards against a Qt binding that leaks references to None (PySide6 6.12.0 did: a live plot aborted the app)."""

from __future__ import annotations

import sys


def test_void_qt_calls_do_not_leak_references_to_none(qapp):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter, QPen
    from PySide6.QtWidgets import QLabel

    label, image, pen = QLabel(), QImage(20, 20, QImage.Format.Format_RGB32), QPen()
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(1000):
            label.setText("x")
            painter.setPen(pen)
            painter.drawLine(QPointF(0, 0), QPointF(5, 5))
        drift = sys.getrefcount(None) - before
    finally:
        painter.end()
    assert drift > -100, f"None lost {-drift} references over 3000 void calls: this PySide6 build will crash live plots"

"""Placeholder until the real page lands."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class TrainPage(QWidget):
    def __init__(self, settings, parent=None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).addWidget(QLabel("TrainPage"))

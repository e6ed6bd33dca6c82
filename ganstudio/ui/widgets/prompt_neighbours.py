"""A memorisation check beside the Prompt page's grid: a clicked generated image's nearest training photos (by the
model's text encoder's image embedding) with their captions and similarity."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ganstudio.ui.widgets.image_view import to_qimage

THUMB = 72
CAPTIONS_SHOWN = 2
GENERATED_NOTE = "Captions of the built-in flowers are generated from their pixels, not written by people."


class NeighboursPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>Nearest training photos</b>")
        self.message = QLabel("Click a generated image to see the training photos closest to it (is it copying?).")
        self.message.setWordWrap(True)
        # The rows scroll: in a short window, wrapped captions squeezed into a fixed height lost their last lines.
        holder = QWidget()
        self.rows = QGridLayout(holder)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setColumnStretch(1, 1)
        self.rows.setRowStretch(99, 1)  # rows stay at the top, at their own height
        self.scroll = QScrollArea()
        self.scroll.setWidget(holder)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note = QLabel(GENERATED_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text); font-size: small;")
        self.shown: list[str] = []  # names of the photos shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.note)

    def show_message(self, text: str, error: bool = False) -> None:
        self._clear_rows()
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def show_neighbours(self, neighbours) -> None:
        """workers.prompt_service.Neighbours → one row a photo: thumbnail, captions, similarity."""
        self._clear_rows()
        self.message.setStyleSheet("")
        self.message.setText(f"Closest to image {neighbours.index + 1}, by the text encoder's image embedding "
                             "(cosine similarity). " + " ".join(neighbours.notes))
        for row, (photo, captions, name, similarity) in enumerate(
                zip(neighbours.photos, neighbours.captions, neighbours.names, neighbours.similarity)):
            thumb = QLabel()
            thumb.setPixmap(QPixmap.fromImage(to_qimage(photo)).scaled(
                THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            text = QLabel("<br>".join(f"“{escape(c)}”" for c in captions[:CAPTIONS_SHOWN]) +
                          f"<br><small>{escape(name)}<br>similarity {similarity:.2f}</small>")
            text.setWordWrap(True)
            text.setToolTip("\n".join(captions))
            self.rows.addWidget(thumb, row, 0)
            self.rows.addWidget(text, row, 1)
            self.shown.append(name)

    def _clear_rows(self) -> None:
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.shown = []

"""The words a text-to-image model read in training, grouped (colours, flowers, places, counts and shapes, …): a
dialog of word buttons; clicking one hands it to the page, which inserts it into the prompt."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

COLUMNS = 6


class VocabularyDialog(QDialog):
    word_chosen = Signal(str)

    def __init__(self, groups: dict[str, tuple[str, ...]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Vocabulary")
        self.resize(620, 520)
        self.buttons: dict[str, QPushButton] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        intro = QLabel("The words this model read in its training captions. Click one to put it into the prompt; "
                       "other words are read as unknown.")
        intro.setWordWrap(True)
        column.addWidget(intro)
        for group, phrases in groups.items():
            box = QGroupBox(f"{group} ({len(phrases)})")
            grid = QGridLayout(box)
            for i, phrase in enumerate(phrases):
                button = QPushButton(phrase)
                button.setFlat(True)
                button.setToolTip(f"Insert “{phrase}”")
                button.clicked.connect(lambda _=False, p=phrase: self.word_chosen.emit(p))
                grid.addWidget(button, *divmod(i, COLUMNS))
                self.buttons.setdefault(phrase, button)
            column.addWidget(box)
        if not groups:
            column.addWidget(QLabel("This model lists no vocabulary."))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(close)

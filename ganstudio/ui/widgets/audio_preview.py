"""The Train page's player for speech previews: hear a validation clip noisy, enhanced by the model at this step, and
clean, on the same sound service as the Denoise page. Shown only while a run's previews carry audio."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ganstudio.core.errors import StudioError

SOURCES = ("Noisy", "Enhanced", "Clean")  # the order of PreviewReady.clips' second axis


class ClipPreviewPlayer(QWidget):
    def __init__(self, audio_service, parent: QWidget | None = None) -> None:
        """`audio_service`: a callable returning the AudioService (made on first use, so image runs never open one)."""
        super().__init__(parent)
        self._audio_service, self._audio = audio_service, None
        self.clips: np.ndarray | None = None  # (n, 3, samples)
        self.step = 0
        self.clip_box = QComboBox()
        self.clip_box.setToolTip("Which validation clip to listen to (never trained on)")
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Listen:"))
        layout.addWidget(self.clip_box)
        for index, name in enumerate(SOURCES):
            button = QPushButton(f"▶ {name}")
            button.setCheckable(True)
            button.setToolTip(f"Play the {name.lower()} clip" + (" as the model makes it now" if index == 1 else ""))
            self.buttons.addButton(button, index)
            layout.addWidget(button)
        self.stop_button = QPushButton("■")
        self.stop_button.setToolTip("Stop playing")
        layout.addWidget(self.stop_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status, 1)
        self.buttons.idClicked.connect(self._on_buttons_id_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.clip_box.activated.connect(self._on_clip_box_activated)

    def set_clips(self, clips: np.ndarray, step: int) -> None:
        """New preview audio; what is playing goes on until the next press (the newest step is played then)."""
        self.clips, self.step = np.asarray(clips, np.float32), int(step)
        if self.clip_box.count() != len(self.clips):
            current = self.clip_box.currentIndex()
            self.clip_box.clear()
            self.clip_box.addItems([f"Clip {i + 1}" for i in range(len(self.clips))])
            self.clip_box.setCurrentIndex(min(max(current, 0), len(self.clips) - 1))
        self.status.setText(f"enhanced at step {self.step:,}")
        self.status.setStyleSheet("")

    def play(self, source: int) -> None:
        """Play `source` (0 noisy, 1 enhanced, 2 clean) of the chosen clip from its start."""
        if self.clips is None:
            return
        audio = self._service()
        try:
            audio.set_clips(self.clips[max(0, self.clip_box.currentIndex()), source], None)
            audio.seek(0.0)
            audio.play("a")
        except StudioError as err:
            self._show_problem(str(err))
            return
        self.buttons.button(source).setChecked(True)
        self.status.setText(f"{SOURCES[source].lower()} · clip {self.clip_box.currentIndex() + 1} · step {self.step:,}")
        self.status.setStyleSheet("")

    def stop(self) -> None:
        if self._audio is not None:
            self._audio.pause()
        self._uncheck()

    def _service(self):
        if self._audio is None:
            self._audio = self._audio_service()
            self._audio.playback_stopped.connect(self._uncheck)
        return self._audio

    def _show_problem(self, text: str) -> None:
        self._uncheck()
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;")

    def _uncheck(self) -> None:
        checked = self.buttons.checkedButton()
        if checked is not None:  # an exclusive group keeps one checked unless it lets go for a moment
            self.buttons.setExclusive(False)
            checked.setChecked(False)
            self.buttons.setExclusive(True)

    def _on_buttons_id_clicked(self, source: int) -> None:
        self.play(source)

    def _on_clip_box_activated(self, _index: int) -> None:
        playing = self.buttons.checkedId()
        if playing >= 0:
            self.play(playing)

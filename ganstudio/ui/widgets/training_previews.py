"""The Train page's preview row: the generated grid (with a player for speech clips) beside the real one, titled
for the recipe (z → image recipes show "Generated" beside "Real"; paired and speech recipes one grid that already
holds the reference: input | output | target, or noisy | enhanced | clean)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from ganstudio.ui.widgets.audio_preview import ClipPreviewPlayer
from ganstudio.ui.widgets.image_view import ImageView

GENERATED_TITLE = "Generated (fixed z)"
GENERATED_PLACEHOLDER = "Samples from the fixed z appear here while training"


class TrainingPreviews(QWidget):
    def __init__(self, audio: Callable[[], object], parent: QWidget | None = None) -> None:
        """`audio`: returns the AudioService that plays speech clips (asked on first play)."""
        super().__init__(parent)
        self.title = GENERATED_TITLE
        self.fake_view = ImageView(GENERATED_PLACEHOLDER)
        self.real_view = ImageView("Real images from the data set appear when a run starts")
        self.clip_player = ClipPreviewPlayer(audio)
        self.clip_player.hide()
        generated = QWidget()
        column = QVBoxLayout(generated)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.fake_view, 1)
        column.addWidget(self.clip_player)
        self.fake_group, self.real_group = group(GENERATED_TITLE, generated), group("Real", self.real_view)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.fake_group)
        row.addWidget(self.real_group)

    def frame(self, title: str) -> None:
        """Empty the views and title them for a recipe whose preview is called `title`."""
        self.fake_view.clear()
        self.real_view.clear()
        self.clip_player.stop()
        self.clip_player.hide()  # until a preview brings audio
        self.title = title
        self.fake_group.setTitle(title)
        generated = title == GENERATED_TITLE
        self.real_group.setVisible(generated)
        self.fake_view.set_placeholder(GENERATED_PLACEHOLDER if generated
                                       else "Previews of the validation set appear here while training")

    def show_preview(self, preview) -> None:
        """A PreviewReady event: the real grid once, then each generated grid (and its clips) with its step."""
        if preview.kind == "real":
            self.real_view.set_image(preview.grid)
            return
        self.fake_view.set_image(preview.grid)
        if getattr(preview, "clips", None) is not None:
            self.clip_player.set_clips(preview.clips, preview.step)
            self.clip_player.show()
        self.fake_group.setTitle(f"{self.title} · step {preview.step:,}")


def group(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box

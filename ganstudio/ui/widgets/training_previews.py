"""The Train page's preview row: the generated grid (with a player for speech clips) beside the real one, titled
for the recipe (z → image recipes show "Generated" beside "Real"; paired and speech recipes one grid that already
holds the reference: input | output | target, or noisy | enhanced | clean). Under the generated grid, a step slider
goes back over the grids the run saved in samples/; a resumed run shows its newest saved grid before it trains."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from ganstudio.core.training.sample_folder import grid_path, read_grid
from ganstudio.ui.widgets.audio_preview import ClipPreviewPlayer
from ganstudio.ui.widgets.image_view import ImageView
from ganstudio.ui.widgets.preview_steps import PreviewStepSlider

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
        self.step_slider = PreviewStepSlider()
        self.step_slider.step_chosen.connect(self._on_step_slider_step_chosen)
        self.fake_view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.fake_view.setFocusProxy(self.step_slider.slider)  # click the grid, then ← → to step through
        self.folder: Path | None = None  # the run's samples/, where earlier grids are read from
        self.latest = None  # the newest generated PreviewReady: its grid is in memory, no need to read it back
        generated = QWidget()
        column = QVBoxLayout(generated)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.fake_view, 1)
        column.addWidget(self.step_slider)
        column.addWidget(self.clip_player)
        self.fake_group, self.real_group = group(GENERATED_TITLE, generated), group("Real", self.real_view)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.fake_group)
        row.addWidget(self.real_group)

    def follow(self, events) -> None:
        """Take the saved grids and every new grid's step from a worker's EventBridge (the step slider's list)."""
        events.saved_grids.connect(self.show_saved)
        events.preview_steps.connect(self.step_slider.add_steps)

    def frame(self, title: str) -> None:
        """Empty the views and title them for a recipe whose preview is called `title`."""
        self.fake_view.clear()
        self.real_view.clear()
        self.step_slider.clear()
        self.folder, self.latest = None, None
        self.clip_player.stop()
        self.clip_player.hide()  # until a preview brings audio
        self.title = title
        self.fake_group.setTitle(title)
        generated = title == GENERATED_TITLE
        self.real_group.setVisible(generated)
        self.fake_view.set_placeholder(GENERATED_PLACEHOLDER if generated
                                       else "Previews of the validation set appear here while training")

    def show_saved(self, saved) -> None:
        """A SavedGrids: where the run's grids are, and a resumed run's grids so far, the newest shown at once."""
        self.folder = Path(saved.folder) if saved.folder else None
        self.step_slider.set_steps(saved.steps)
        if saved.newest is not None:
            self._show_grid(saved.newest, saved.steps[-1])
        if saved.real is not None:
            self.real_view.set_image(saved.real)

    def show_preview(self, preview) -> None:
        """A PreviewReady event: the real grid once, then each generated grid (and its clips) with its step; the grid
        only while the step slider is at its newest end (the user may be looking at an earlier one)."""
        if preview.kind == "real":
            self.real_view.set_image(preview.grid)
            return
        self.latest = preview
        if self.step_slider.steps[-1:] != [preview.step]:  # not told by a bridge (see follow)
            self.step_slider.add_steps([preview.step])
        if getattr(preview, "clips", None) is not None:  # the newest clips always: the player names their step
            self.clip_player.set_clips(preview.clips, preview.step)
            self.clip_player.show()
        if self.step_slider.at_end():
            self._show_grid(preview.grid, preview.step)

    def _on_step_slider_step_chosen(self, step: int) -> None:
        if self.latest is not None and self.latest.step == step:
            self._show_grid(self.latest.grid, step)
            return
        grid = read_grid(grid_path(self.folder, step)) if self.folder else None
        if grid is None:  # deleted, or the run saves no samples: say so rather than show another step's grid
            self.fake_view.clear()
            self.fake_group.setTitle(f"{self.title} · step {step:,} (not saved)")
            return
        self._show_grid(grid, step)

    def _show_grid(self, grid, step: int) -> None:
        self.fake_view.set_image(grid)
        self.fake_group.setTitle(f"{self.title} · step {step:,}")


def group(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box

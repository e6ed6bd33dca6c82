"""The Train page's step slider over saved preview grids (issue 13, item 6): the samples/ folder read back, the bridge
telling every grid's step, and the slider following new grids only while at its right end. No training here."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from ganstudio.core.training import events as ev
from ganstudio.core.training.sample_folder import SampleFolderSink, grid_path, read_grid, saved_steps
from ganstudio.ui.widgets.training_previews import TrainingPreviews
from ganstudio.workers.event_bridge import EventBridge, SavedGrids


def grid(step: int) -> np.ndarray:
    """A small RGB grid whose colour tells its step."""
    return np.full((6, 8, 3), step * 10 % 256, np.uint8)


def pixels(view) -> np.ndarray:
    image = view.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB888)
    return np.array(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())[:, :image.width() * 3]


def shown_step(previews) -> int:
    """The step the shown grid was made at, read back from its colour."""
    return int(pixels(previews.fake_view)[0, 0]) // 10


def test_saved_steps_lists_only_finished_grids_up_to_a_step(tmp_path):
    sink = SampleFolderSink(tmp_path)
    for step in (2, 4, 6):
        sink(ev.PreviewReady(step, grid(step)))
    sink(ev.PreviewReady(0, grid(1), kind="real"))
    (tmp_path / ".step-000000008.png.x1y2.tmp").write_bytes(b"half")  # a write cut short by a kill
    (tmp_path / "step-000000006.wav").write_bytes(b"")
    assert saved_steps(tmp_path) == [2, 4, 6]
    assert saved_steps(tmp_path, upto=4) == [2, 4]  # a resume from step 4 trains 6 again
    assert saved_steps(tmp_path / "none") == []
    np.testing.assert_array_equal(read_grid(grid_path(tmp_path, 4)), grid(4))
    grid_path(tmp_path, 6).write_bytes(grid_path(tmp_path, 6).read_bytes()[:40])
    assert read_grid(grid_path(tmp_path, 6)) is None and read_grid(tmp_path / "missing.png") is None


def test_the_bridge_tells_every_grid_step_even_of_previews_it_coalesced(qtbot):
    bridge = EventBridge()
    steps, previews = [], []
    bridge.preview_steps.connect(steps.append)
    bridge.preview_ready.connect(previews.append)
    bridge(ev.PreviewReady(0, grid(1), kind="real"))
    for step in (2, 4, 6):
        bridge(ev.PreviewReady(step, grid(step)))
    with qtbot.waitSignal(bridge.preview_ready, timeout=2000):
        pass
    assert steps == [[2, 4, 6]] and [p.step for p in previews if p.kind == "fake"] == [6]


def test_the_slider_follows_new_grids_at_its_end_and_stays_where_the_user_moved_it(qtbot, tmp_path):
    sink = SampleFolderSink(tmp_path)
    for step in (2, 4):
        sink(ev.PreviewReady(step, grid(step)))
    previews = TrainingPreviews(lambda: None)
    qtbot.addWidget(previews)
    previews.show()
    slider = previews.step_slider
    previews.show_saved(SavedGrids(str(tmp_path), [2, 4], grid(4), grid(1)))  # a resumed run, before it trains
    assert shown_step(previews) == 4 and slider.steps == [2, 4] and slider.current_step() == 4
    assert not previews.real_view.pixmap().isNull()
    for step in (6,):
        sink(ev.PreviewReady(step, grid(step)))
        previews.show_preview(ev.PreviewReady(step, grid(step)))
    assert shown_step(previews) == 6 and slider.label.text() == "Step 6 · 3/3"  # at the end: follows
    qtbot.keyClick(slider.slider, Qt.Key.Key_Left)
    qtbot.keyClick(slider.slider, Qt.Key.Key_Left)
    assert slider.current_step() == 2 and shown_step(previews) == 2  # read back from samples/
    assert previews.fake_group.title().endswith("step 2") and slider.label.text() == "Step 2 · 1/3"
    previews.show_preview(ev.PreviewReady(8, grid(8)))
    assert slider.steps == [2, 4, 6, 8] and slider.current_step() == 2 and shown_step(previews) == 2  # stays put
    assert previews.fake_group.title().endswith("step 2")
    qtbot.keyClick(slider.slider, Qt.Key.Key_End)
    assert shown_step(previews) == 8 and previews.fake_group.title().endswith("step 8")  # the newest, from memory
    previews.show_preview(ev.PreviewReady(10, grid(10)))
    assert slider.current_step() == 10 and shown_step(previews) == 10  # back at the end: follows again


def test_a_grid_missing_from_samples_is_named_not_replaced(qtbot, tmp_path):
    previews = TrainingPreviews(lambda: None)
    qtbot.addWidget(previews)
    previews.show_saved(SavedGrids(str(tmp_path), [], None, None))
    for step in (2, 4):  # the files were never written (or were deleted)
        previews.show_preview(ev.PreviewReady(step, grid(step)))
    qtbot.keyClick(previews.step_slider.slider, Qt.Key.Key_Left)
    assert previews.fake_view.pixmap().isNull() and previews.fake_group.title().endswith("step 2 (not saved)")


def test_a_rollback_drops_the_grids_of_the_abandoned_steps(qtbot):
    previews = TrainingPreviews(lambda: None)
    qtbot.addWidget(previews)
    slider = previews.step_slider
    assert not slider.slider.isEnabled() and slider.label.text() == "No grids yet"
    slider.add_steps([2, 4, 6, 8])
    slider.go_to(4)
    slider.add_steps([6])  # NaN at 8: rolled back to the checkpoint at 4, step 6's grid made again
    assert slider.steps == [2, 4, 6] and slider.current_step() == 4
    previews.frame("Generated (fixed z)")  # a new run
    assert slider.steps == [] and previews.folder is None and previews.latest is None

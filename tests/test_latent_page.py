"""The Latent page with a tiny untrained generator: loading, sliders, history, save/load points, GIF export, errors."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from PIL import Image

from ganstudio.ui.pages.latent_page import LatentPage

WAIT_MS = 30000  # the first load imports TensorFlow


@pytest.fixture
def make_page(qtbot, settings):
    pages = []

    def make(**kwargs):
        page = LatentPage(kwargs.pop("settings", settings))
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()
    leftovers = [t.name for t in threading.enumerate() if t.name.startswith("latent-")]
    assert leftovers == [], f"threads left running: {leftovers}"


def settle(qtbot, page):
    """Wait until the newest requested preview is on screen."""
    qtbot.waitUntil(lambda: page.last_request_id >= 0 and page.last_shown_id == page.last_request_id, timeout=WAIT_MS)


@pytest.fixture
def loaded_page(qtbot, make_page, tiny_generator_dir):
    page = make_page()
    with qtbot.waitSignal(page.service.directions_ready, timeout=WAIT_MS):
        page.load_model(str(tiny_generator_dir))
    settle(qtbot, page)
    return page


def preview_array(page) -> np.ndarray:
    image = page.preview.current_pixmap().toImage()
    return np.array([[image.pixel(x, y) for x in range(0, image.width(), 8)] for y in range(0, image.height(), 8)])


def test_loading_a_model_folder_shows_a_preview_and_directions(loaded_page, settings, tiny_generator_dir):
    page = loaded_page
    assert page.info.z_dim == 8 and page.info.image_size == 16
    assert page.preview.frames_shown >= 1 and page.preview.current_pixmap().width() == 256
    keys = page.sliders.selected_keys()
    assert keys[0] == "ganspace:0" and len(keys) == 8
    assert page.sliders.pickers[0].count() > page.info.z_dim  # GANSpace + PCA of z + raw dimensions
    assert not page.controls.class_combo.isVisible()
    assert settings.value("latent/model") == str(tiny_generator_dir)
    assert len(page.history.history.points) == 1


def test_moving_a_slider_renders_a_new_preview(qtbot, loaded_page):
    page = loaded_page
    before, shown = preview_array(page), page.preview.frames_shown
    z_before = page.current_z()
    page.sliders.sliders[0].setValue(250)  # +2.5σ along GANSpace PC1
    settle(qtbot, page)
    assert page.preview.frames_shown > shown
    assert np.linalg.norm(page.current_z() - z_before) == pytest.approx(2.5 * page.sliders.selected_directions()[0].sigma, rel=1e-4)
    assert not np.array_equal(preview_array(page), before)
    assert len(page.history.history.points) == 2  # a programmatic (non-drag) change is a settled point


def test_reroll_history_back_and_forward(qtbot, loaded_page):
    page = loaded_page
    first = page.current_z()
    page.reroll()
    settle(qtbot, page)
    second = page.current_z()
    assert not np.allclose(first, second)
    page.history.go_back()
    settle(qtbot, page)
    np.testing.assert_allclose(page.current_z(), first)
    page.history.go_forward()
    np.testing.assert_allclose(page.current_z(), second)
    assert page.history.list.count() == 2 and page.history.list.currentRow() == 1


def test_history_navigation_sets_the_seed_box_without_a_re_roll(qtbot, loaded_page):
    page = loaded_page
    first_seed, first = page.controls.seed.value(), page.current_z()
    page.reroll()
    settle(qtbot, page)
    second_seed, second = page.controls.seed.value(), page.current_z()
    assert second_seed != first_seed
    page.sliders.sliders[0].setValue(100)  # a point moved away from its seed keeps the seed it came from
    moved = page.current_z()
    page.history.go_back()
    assert page.controls.seed.value() == second_seed
    np.testing.assert_allclose(page.current_z(), second)
    page.history.go_back()
    assert page.controls.seed.value() == first_seed
    np.testing.assert_allclose(page.current_z(), first)  # the seed box changed, but nothing was re-rolled
    page.history.go_forward()
    page.history.go_forward()
    assert page.controls.seed.value() == second_seed
    np.testing.assert_allclose(page.current_z(), moved)
    assert len(page.history.history.points) == 3


def test_the_switch_to_ganspace_directions_is_announced_and_keeps_the_point(qtbot, make_page, tiny_generator_dir):
    page = make_page()
    at_load = {}

    def on_loaded(_info):  # runs after the page adopted the model, before the directions arrive
        at_load["note"] = page.directions_note.text()
        page.sliders.sliders[0].setValue(100)  # the user moves raw z[0] while GANSpace is computed
        at_load["z"] = page.current_z()

    page.service.loaded.connect(on_loaded)
    with qtbot.waitSignal(page.service.directions_ready, timeout=WAIT_MS):
        page.load_model(str(tiny_generator_dir))
    settle(qtbot, page)
    assert "raw z" in at_load["note"] and "computed" in at_load["note"]
    assert "GANSpace directions ready" in page.directions_note.text()
    assert page.sliders.selected_keys()[0] == "ganspace:0"
    np.testing.assert_allclose(page.current_z(), at_load["z"], atol=1e-6)  # not back at the seed


def test_save_and_load_points_round_trip(qtbot, loaded_page, tmp_path):
    page = loaded_page
    page.sliders.sliders[1].setValue(-120)
    page._on_anchors_add_requested()
    saved = page.current_z()
    path = tmp_path / "points.json"
    assert page.save_points(str(path))
    assert json.loads(path.read_text())["z_dim"] == 8
    page.reroll()
    assert not np.allclose(page.current_z(), saved)
    assert page.load_points(str(path))
    np.testing.assert_allclose(page.current_z(), saved, atol=1e-6)
    assert len(page.anchors.anchors()) == 1
    path.write_text("{ not json")
    assert not page.load_points(str(path))
    assert "not valid JSON" in page.model_bar.error.text()


def test_interpolation_and_gif_export(qtbot, loaded_page, tmp_path):
    page = loaded_page
    page._on_anchors_add_requested()
    page.reroll()
    page._on_anchors_add_requested()
    a, b = (p.z for p in page.anchors.anchors())
    page.anchors.position.setValue(500)
    settle(qtbot, page)
    assert np.linalg.norm(page.current_z() - (a + b) / 2) > 1e-3  # slerp is the default, not the straight midpoint
    page.anchors.set_mode("lerp")
    np.testing.assert_allclose(page.current_z(), (a + b) / 2, atol=1e-5)
    page.anchors.frames.setValue(10)
    gif = tmp_path / "walk.gif"
    with qtbot.waitSignal(page.service.exported, timeout=WAIT_MS):
        page.export_gif(str(gif))
    with Image.open(gif) as image:
        assert image.is_animated and image.n_frames == 10 and image.size == (256, 256)
    assert "Saved GIF" in page.controls.status.text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".walk.gif")]  # no temp file left behind


def test_gif_progress_lasts_until_the_file_is_written_and_the_path_is_not_cut_off(qtbot, loaded_page, tmp_path):
    """Issue 13 item 8: the bar sat at 100% for ~20 s while the frames were encoded, and a long path was cut off."""
    page = loaded_page
    page._on_anchors_add_requested()
    page.reroll()
    page._on_anchors_add_requested()
    page.anchors.frames.setValue(10)
    folder = tmp_path / ("a-long-folder-name-" * 4)
    folder.mkdir()
    gif = folder / "walk.gif"
    seen = []
    page.service.export_progressed.connect(lambda *args: seen.append((*args, gif.exists())))
    with qtbot.waitSignal(page.service.exported, timeout=WAIT_MS):
        page.export_gif(str(gif))
    assert all(done < total for done, total, *_ in seen)  # never full before `exported`: the file exists only then
    phases = [phase for _done, _total, phase, _exists in seen]
    assert phases.count("Encoding GIF") == 10 and phases[-1].startswith("Writing")
    assert not any(exists for *_, exists in seen)
    status = page.controls.status
    assert status.text() == "Saved GIF to walk.gif" and status.toolTip() == str(gif)


def test_broken_model_folder_shows_the_error_inline(qtbot, make_page, tmp_path):
    page = make_page()
    broken = tmp_path / "broken"
    broken.mkdir()
    with qtbot.waitSignal(page.service.load_failed, timeout=WAIT_MS):
        page.load_model(str(broken))
    assert "not a ganstudio model" in page.model_bar.error.text()
    (broken / "manifest.json").write_text("{ damaged")
    with qtbot.waitSignal(page.service.load_failed, timeout=WAIT_MS):
        page.load_model(str(broken))
    assert "damaged" in page.model_bar.error.text() and page.info is None
    assert page.preview.current_pixmap() is None


def test_conditional_generator_has_a_class_selector(qtbot, make_page, tiny_conditional_generator_dir):
    page = make_page()
    page.show()
    with qtbot.waitSignal(page.service.directions_ready, timeout=WAIT_MS):
        page.load_model(str(tiny_conditional_generator_dir))
    settle(qtbot, page)
    combo = page.controls.class_combo
    assert combo.isVisible() and [combo.itemText(i) for i in range(combo.count())] == ["daisy", "rose", "tulip"]
    before = preview_array(page)
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    settle(qtbot, page)
    assert page.label() == 2 and page.current_point().label == 2
    assert not np.array_equal(preview_array(page), before)
    assert "tulip" in page.history.list.item(page.history.list.count() - 1).text()


def test_remembers_the_model_and_options(qtbot, make_page, settings, tiny_generator_dir):
    page = make_page()
    with qtbot.waitSignal(page.service.directions_ready, timeout=WAIT_MS):
        page.load_model(str(tiny_generator_dir))
    page.anchors.set_mode("lerp")
    page.sliders.pickers[0].setCurrentIndex(3)
    page.shutdown()
    again = make_page()
    assert again.anchors.mode() == "lerp"
    with qtbot.waitSignal(again.service.directions_ready, timeout=WAIT_MS):
        again.show()  # the first show loads the remembered model
    assert again.info.path == str(tiny_generator_dir)
    assert again.sliders.selected_keys()[0] == page.sliders.selected_keys()[0]


def test_keyboard_shortcuts_reroll_and_walk_the_history(qtbot, loaded_page):
    from PySide6.QtCore import Qt

    page = loaded_page
    page.show()
    with qtbot.waitActive(page):
        page.activateWindow()  # WindowShortcut context: shortcuts fire only in the active window
    first = page.current_z()
    qtbot.keyClick(page, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: len(page.history.history.points) == 2, timeout=3000)
    assert not np.allclose(page.current_z(), first)
    qtbot.keyClick(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    np.testing.assert_allclose(page.current_z(), first)
    qtbot.keyClick(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert not np.allclose(page.current_z(), first)

"""The Sketch page and its service with fake translator sessions (no TensorFlow): palettes, renders while painting
(latest wins), seeds, shortcuts, photos, files, exports, autosave, model kinds, bad input, and clean shutdown."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from ganstudio.core.errors import ModelFileError
from ganstudio.core.sketch.palette import Palette
from ganstudio.core.sketch.sketch_io import autosave_path, save_label_map, sketch_to_rgb
from ganstudio.ui.pages.sketch_files import suggested_name
from ganstudio.ui.pages.sketch_page import SketchPage
from ganstudio.workers.sketch_service import SketchService

PALETTE = Palette(("background", "sky", "leaf", "petal"), ((100, 100, 100), (140, 180, 220), (80, 125, 45),
                                                            (230, 140, 175)))
WAIT_MS = 5000
LEFT, NO_MOD, CTRL = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier


class FakeSession:
    """Renders the sketch in its display colours, with the seed written into pixel (0, 0)'s red channel."""

    def __init__(self, kind: str = "labels", palette: Palette | None = PALETTE, size: int = 32, delay: float = 0.0,
                 **extra) -> None:
        self.input_kind, self.palette, self.native_size, self.delay = kind, palette, size, delay
        self.title, self.notes = f"fake {kind}", []
        self.__dict__.update(extra)

    def render(self, sketch: np.ndarray, seed: int = 0, max_side: int | None = None) -> np.ndarray:
        time.sleep(self.delay)
        self.max_sides = [*getattr(self, "max_sides", []), max_side]
        image = sketch_to_rgb(sketch, self.palette if self.input_kind == "labels" else None).copy()
        image[0, 0, 0] = seed % 256
        return image


LOAD_GATE = threading.Event()  # the "gated" model loads once a test sets it: a model still loading, on demand
LOAD_GATE.set()


def gated_session() -> FakeSession:
    LOAD_GATE.wait(WAIT_MS / 1000)
    return FakeSession(size=32)


SESSIONS = {"labels": lambda: FakeSession(), "edges": lambda: FakeSession("edges", None),
            "slow": lambda: FakeSession(delay=0.05), "big": lambda: FakeSession(size=64),
            "nopalette": lambda: FakeSession(palette=None, num_classes=5), "gated": gated_session}


def fake_loader(path: str):
    """A fake session chosen by the folder's name ("labels", "edges", …); anything else is not a model."""
    name = Path(path).name
    if name not in SESSIONS:
        raise ModelFileError(f"{path} is not a ganstudio model (no manifest.json).", "Pick a model folder.")
    return SESSIONS[name]()


@pytest.fixture
def make_page(qtbot, settings, monkeypatch):
    monkeypatch.setattr("ganstudio.ui.widgets.model_bar.installed_models", lambda kind=None: [])
    pages = []

    def make() -> SketchPage:
        page = SketchPage(settings, service=SketchService(load_session=fake_loader))
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()
    leftovers = [t.name for t in threading.enumerate() if t.name.startswith("sketch-")]
    assert leftovers == [], f"threads left running: {leftovers}"


def load(qtbot, page, name: str) -> None:
    with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
        page.load_model(name)
    if not page.canvas.is_uniform():  # an empty canvas is not rendered
        settle(qtbot, page)


def settle(qtbot, page) -> None:
    """Wait until the newest requested render is on screen."""
    s = page.service
    qtbot.waitUntil(lambda: s.last_request_id >= 0 and s.last_delivered_id == s.last_request_id, timeout=WAIT_MS)


def drag(canvas, pixels) -> None:
    """Press, move and release through canvas pixels (x, y), whatever the zoom."""
    points = [QPoint(int((x + 0.5) * canvas.zoom), int((y + 0.5) * canvas.zoom)) for x, y in pixels]
    QTest.mousePress(canvas, LEFT, NO_MOD, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point)
    QTest.mouseRelease(canvas, LEFT, NO_MOD, points[-1])


def shows_canvas(page) -> bool:
    expected = sketch_to_rgb(page.canvas.array, page.palette)
    return np.array_equal(page.last_render[1:], expected[1:])  # row 0 carries the seed marker


def write_photo(path, size=(48, 40)) -> None:
    rgb = np.zeros((size[1], size[0], 3), np.uint8)
    rgb[:] = (140, 180, 220)
    rgb[10:30, 10:30] = (230, 140, 175)
    Image.fromarray(rgb).save(path)


def test_a_label_model_shows_its_palette_and_renders(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    assert page.palette_bar.list.count() == 4 and "background" in page.palette_bar.list.item(0).text()
    assert page.canvas.array.shape == (32, 32)  # a blank canvas takes the model's size
    assert "ready" in page.status.text()
    drag(page.canvas, [(2, 2), (20, 20)])
    settle(qtbot, page)
    assert page.last_render.shape == (32, 32, 3) and not page.output.pixmap().isNull()
    assert shows_canvas(page)
    assert page.files.export_button.isEnabled() and page.model_bar.info.text().startswith("fake labels")


def test_painting_re_renders_the_latest_canvas(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "slow")
    for i in range(8):
        page.palette_bar.choose_index(1 + i % 3)
        drag(page.canvas, [(1 + 3 * i, 1), (1 + 3 * i, 25)])
    settle(qtbot, page)
    assert shows_canvas(page)
    assert page.service.runner.dropped_count > 0  # stale requests were replaced, not queued
    assert page.canvas.undo_stack.count() == 8


def test_seed_and_new_variation_re_render(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(2, 2), (20, 20)])
    page.variation.seed.setValue(7)
    settle(qtbot, page)
    assert page.last_render[0, 0, 0] == 7
    page.variation.new_variation()
    seed = page.variation.seed.value()
    settle(qtbot, page)
    assert seed != 0 and page.last_render[0, 0, 0] == seed % 256 and "ms" in page.variation.timing.text()


def test_number_keys_tool_keys_and_undo_redo_shortcuts(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)
    QTest.keyClick(page, Qt.Key.Key_3)
    assert page.canvas.value == 2 and "leaf" in page.palette_bar.current.text()
    drag(page.canvas, [(2, 2), (20, 20)])
    painted = page.canvas.array.copy()
    QTest.keyClick(page, Qt.Key.Key_Z, CTRL)
    assert (page.canvas.array == PALETTE.background).all()
    QTest.keyClick(page, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(page.canvas.array, painted)
    QTest.keyClick(page, Qt.Key.Key_F)
    assert page.canvas.tool == "fill" and page.toolbar.tool_buttons["fill"].isChecked()


def test_pipette_selects_the_class_and_returns_to_the_brush(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    ids = np.full((32, 32), 3, np.uint8)
    page.canvas.set_sketch(ids)
    page.toolbar.tool_buttons["pipette"].click()
    drag(page.canvas, [(5, 5)])
    assert page.palette_bar.current_value() == 3 and page.canvas.tool == "brush"


@pytest.mark.parametrize("model", ["labels", "edges"])
def test_load_photo_computes_a_starting_canvas(qtbot, make_page, tmp_path, model):
    page = make_page()
    load(qtbot, page, model)
    write_photo(tmp_path / "photo.png")
    before = page.canvas.array.copy()
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS):
        page.files.load_photo(str(tmp_path / "photo.png"))
    array = page.canvas.array
    assert array.shape == (27, 32)  # the photo was scaled to the model's size, aspect kept
    allowed = set(range(len(PALETTE))) if model == "labels" else {0, 255}
    assert set(np.unique(array)) <= allowed and len(np.unique(array)) >= 2
    assert "photo.png" in page.status.text()
    viewport = page.scroll.viewport().size()  # a canvas of a new size is zoomed to fit beside the render
    assert page.canvas.width() <= viewport.width() and page.canvas.height() <= viewport.height()
    assert page.canvas.width() * 1.5 > viewport.width() or page.canvas.height() * 1.5 > viewport.height()
    settle(qtbot, page)
    page.canvas.undo_stack.undo()
    assert np.array_equal(page.canvas.array, before)


def test_bad_files_give_messages_and_keep_the_canvas(qtbot, make_page, tmp_path):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(2, 2), (10, 10)])
    painted = page.canvas.array.copy()
    (tmp_path / "notes.png").write_text("not an image")
    with qtbot.waitSignal(page.service.job_failed, timeout=WAIT_MS):
        page.files.open_file(str(tmp_path / "notes.png"))
    assert "not a readable image" in page.status.text()
    ids = np.zeros((16, 16), np.uint8)
    ids[0, 0] = 9
    save_label_map(ids, tmp_path / "foreign.png")
    with qtbot.waitSignal(page.service.job_failed, timeout=WAIT_MS):
        page.files.open_file(str(tmp_path / "foreign.png"))
    assert "9" in page.status.text() and "palette" in page.status.text()
    with qtbot.waitSignal(page.service.job_failed, timeout=WAIT_MS):
        page.files.load_photo(str(tmp_path / "notes.png"))
    assert np.array_equal(page.canvas.array, painted)
    assert not page.files.save_file(str(tmp_path / "notes.png" / "inside.png"))  # a file is not a folder
    assert page.status.styleSheet() != ""


def test_save_open_and_export(qtbot, make_page, tmp_path):
    page = make_page()
    load(qtbot, page, "labels")
    page.palette_bar.choose_index(3)
    drag(page.canvas, [(2, 2), (12, 10)])
    settle(qtbot, page)
    painted = page.canvas.array.copy()
    assert page.files.save_file(str(tmp_path / "map.png"))
    page.canvas.clear()
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS):
        page.files.open_file(str(tmp_path / "map.png"))
    assert np.array_equal(page.canvas.array, painted)
    settle(qtbot, page)
    assert page.files.export_render(str(tmp_path / "render.png"))
    assert page.files.export_pair(str(tmp_path / "pair.png"))
    assert np.array_equal(np.asarray(Image.open(tmp_path / "render.png")), page.last_render)
    pair = np.asarray(Image.open(tmp_path / "pair.png"))
    assert pair.shape == (32, 68, 3) and np.array_equal(pair[:, :32], sketch_to_rgb(painted, PALETTE))


def test_the_canvas_is_autosaved_and_restored(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(1, 1), (15, 6)])
    painted = page.canvas.array.copy()
    page.shutdown()
    assert autosave_path("labels").exists()
    again = make_page()
    assert again.kind == "labels" and np.array_equal(again.canvas.array, painted)
    assert again.canvas.undo_stack.count() == 0


def test_each_model_kind_keeps_its_own_canvas(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(1, 1), (15, 6)])
    painted = page.canvas.array.copy()
    load(qtbot, page, "edges")
    assert page.canvas.mode == "edges" and (page.canvas.array == 255).all()
    assert page.palette_bar.list.count() == 2 and page.files.open_button.text() == "Open sketch…"
    drag(page.canvas, [(1, 10), (15, 10)])
    settle(qtbot, page)
    assert page.canvas.array[10, 8] == 0 and shows_canvas(page)
    load(qtbot, page, "labels")
    assert np.array_equal(page.canvas.array, painted) and page.canvas.mode == "labels"


def test_a_model_without_palette_gets_a_generic_one(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "nopalette")
    assert page.palette_bar.list.count() == 5 and page.palette_bar.note.isVisibleTo(page)
    assert "no palette" in page.status.text()


def test_a_canvas_of_another_size_is_kept_and_said(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(1, 1), (10, 10)])
    load(qtbot, page, "big")
    assert page.canvas.array.shape == (32, 32) and "resized" in page.status.text()
    page.toolbar.clear_requested.emit()  # Clear: a fresh page of the model's own size, undoable
    assert page.canvas.array.shape == (page.info.native_size,) * 2 != (32, 32)
    assert not (page.canvas.array != page.canvas.background).any()
    page.canvas.undo_stack.undo()
    assert page.canvas.array.shape == (32, 32) and (page.canvas.array != page.canvas.background).any()


def test_a_canvas_larger_than_the_model_renders_drafts_while_painting_then_in_full(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")  # native 32 px
    page.canvas.set_sketch(np.zeros((64, 64), np.uint8))
    session = page.service._session
    session.max_sides = []
    drag(page.canvas, [(2, 2), (40, 40)])
    qtbot.waitUntil(lambda: 32 in session.max_sides, timeout=5000)  # drafts at the model's size while painting
    qtbot.waitUntil(lambda: session.max_sides[-1] is None, timeout=5000)  # the full render once painting pauses
    settle(qtbot, page)
    assert page.variation.timing.text().startswith("render") and shows_canvas(page)


def test_a_broken_model_is_reported_and_the_page_keeps_working(qtbot, make_page):
    page = make_page()
    with qtbot.waitSignal(page.service.load_failed, timeout=WAIT_MS):
        page.load_model("/no/such/model")
    assert page.model_bar.error.isVisibleTo(page) and "manifest" in page.model_bar.error.text()
    drag(page.canvas, [(1, 1), (10, 10)])
    assert page.canvas.undo_stack.count() == 1 and page.last_render is None


def test_options_and_last_model_are_remembered(qtbot, make_page, settings, tmp_path):
    folder = tmp_path / "edges"
    folder.mkdir()
    page = make_page()
    load(qtbot, page, str(folder))
    page.toolbar.set_brush_size(21)
    page.toolbar.tool_buttons["ellipse"].click()
    page.toolbar.zoom_in_button.click()
    zoom = page.canvas.zoom
    page.shutdown()
    assert settings.value("sketch/model") == str(folder)
    again = make_page()
    assert again.canvas.brush_size == 21 and again.canvas.tool == "ellipse" and again.kind == "edges"
    assert again.canvas.zoom == zoom and again.toolbar.zoom_label.text() == f"{zoom * 100:.0f}%"
    qtbot.waitUntil(lambda: again.info is not None, timeout=WAIT_MS)  # the remembered model loads on the first visit
    assert again.info.input_kind == "edges" and again.model_bar.combo.currentData() == str(folder)


# ---- issue 13 item 9 ------------------------------------------------------------------------------------------------
def test_switching_model_kinds_keeps_each_kinds_undo_history(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(1, 1), (15, 6)])
    load(qtbot, page, "edges")
    assert page.canvas.undo_stack.count() == 0 and not page.undo_action.isEnabled()  # the edge canvas's own history
    drag(page.canvas, [(1, 10), (15, 10)])
    edges = page.canvas.array.copy()
    load(qtbot, page, "labels")
    assert page.canvas.undo_stack.count() == 1 and page.undo_action.isEnabled()
    assert page.canvas.value != PALETTE.background  # not the edge pen's ink (0), which is background here
    page.undo_action.trigger()
    assert (page.canvas.array == PALETTE.background).all()
    page.redo_action.trigger()
    load(qtbot, page, "edges")
    assert np.array_equal(page.canvas.array, edges) and page.canvas.undo_stack.count() == 1
    load(qtbot, page, "big")  # another model of the same kind: nothing changes on the canvas or its history
    load(qtbot, page, "labels")
    assert page.canvas.undo_stack.count() == 1


def test_switching_models_hides_the_old_render_until_the_new_one_renders(qtbot, make_page):
    page = make_page()
    load(qtbot, page, "labels")
    drag(page.canvas, [(1, 1), (15, 6)])
    settle(qtbot, page)
    LOAD_GATE.clear()
    try:
        page.load_model("gated")
        assert page.output.pixmap().isNull() and page.last_render is None  # at once, not when the model is in
        assert not page.files.export_button.isEnabled() and page.status.text() == ""  # not "fake labels is ready"
        drag(page.canvas, [(1, 20), (15, 20)])  # painting meanwhile renders nothing with the model being replaced
        qtbot.wait(200)
        assert page.output.pixmap().isNull()
        with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
            LOAD_GATE.set()
    finally:
        LOAD_GATE.set()
    settle(qtbot, page)
    assert not page.output.pixmap().isNull() and shows_canvas(page)


def test_the_picker_says_loading_while_the_first_model_loads(qtbot, make_page):
    page = make_page()
    LOAD_GATE.clear()
    try:
        page.load_model("gated")
        qtbot.wait(100)
        combo = page.model_bar.combo
        assert combo.currentIndex() == -1 and combo.placeholderText() == "Loading gated…"
        assert "No sketch model" not in combo.placeholderText()
        with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
            LOAD_GATE.set()
    finally:
        LOAD_GATE.set()
    assert page.model_bar.combo.currentText() == "gated"


def test_an_empty_canvas_shows_a_hint_instead_of_a_render(qtbot, make_page):
    """A one-colour map is nothing the model was trained on; the shipped one paints an ochre smear with bright bands
    along two edges (zero padding on the strided convolutions' bottom/right sides, scaled up by instance norm)."""
    page = make_page()
    load(qtbot, page, "labels")
    assert page.service.last_request_id == -1 and page.output.pixmap().isNull()
    assert page.output.placeholder().startswith("Paint something")
    drag(page.canvas, [(2, 2), (20, 20)])
    settle(qtbot, page)
    assert shows_canvas(page)
    page.canvas.set_sketch(np.full((32, 32), 2, np.uint8))  # filled with one class: no shapes either
    assert page.output.pixmap().isNull() and page.last_render is None and not page.files.export_button.isEnabled()
    qtbot.wait(100)
    assert page.output.pixmap().isNull()  # a render of the earlier canvas still in flight is not shown


def test_export_dialogs_suggest_a_file_name_in_the_last_folder(qtbot, make_page, settings, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr("ganstudio.ui.pages.sketch_files.QFileDialog.getSaveFileName",
                        lambda _parent, _title, start, _filter: (asked.append(start), ("", ""))[1])
    settings.setValue("sketch/dir", str(tmp_path))
    page = make_page()
    load(qtbot, page, str(tmp_path / "labels"))
    drag(page.canvas, [(2, 2), (20, 20)])
    settle(qtbot, page)
    page.files.export_button.click()
    page.files.pair_button.click()
    page.files.ask_and_save()
    render, pair, label_map = (Path(p) for p in asked)
    assert render.parent == tmp_path and re.fullmatch(r"sketch-labels-\d{8}-\d{6}\.png", render.name)
    assert re.fullmatch(r"sketch-labels-\d{8}-\d{6}-pair\.png", pair.name)
    assert re.fullmatch(r"sketch-labels-\d{8}-\d{6}-labels\.png", label_map.name)
    noon = time.mktime((2024, 5, 17, 12, 0, 0, 0, 0, -1))
    assert suggested_name("", "/home/u/runs/my run/model", noon) == "sketch-my-run-20240517-120000.png"
    assert suggested_name("pair", "/models/sketch-labels-pix2pixhd", noon) == \
        "sketch-labels-pix2pixhd-20240517-120000-pair.png"


# ---- issue 13, leftovers --------------------------------------------------------------------------------------------
def test_each_model_kind_keeps_its_own_tool_and_brush_size(qtbot, make_page, tmp_path):
    for kind in ("labels", "edges"):
        (tmp_path / kind).mkdir()
    page = make_page()
    load(qtbot, page, str(tmp_path / "labels"))
    page.toolbar.set_brush_size(24)
    page.toolbar.tool_buttons["fill"].click()
    load(qtbot, page, str(tmp_path / "edges"))
    assert page.canvas.brush_size == 8 and page.canvas.tool == "brush"  # the edge canvas's own (here: the defaults)
    page.toolbar.set_brush_size(2)
    page.toolbar.tool_buttons["rect"].click()
    load(qtbot, page, str(tmp_path / "labels"))
    assert page.canvas.brush_size == 24 and page.canvas.tool == "fill"
    assert page.toolbar.size_slider.value() == 24 and page.toolbar.tool_buttons["fill"].isChecked()
    load(qtbot, page, str(tmp_path / "edges"))
    assert page.canvas.brush_size == 2 and page.canvas.tool == "rect"
    page.shutdown()
    again = make_page()  # across sessions too: it opens on the edge canvas, with the edge tool
    assert again.kind == "edges" and again.canvas.brush_size == 2 and again.canvas.tool == "rect"
    qtbot.waitUntil(lambda: again.info is not None, timeout=WAIT_MS)
    load(qtbot, again, str(tmp_path / "labels"))
    assert again.canvas.brush_size == 24 and again.canvas.tool == "fill"

"""The Sketch canvas driven with real mouse events: gap-free strokes, exact undo/redo of bounding boxes, eraser, fill,
shapes, pipette, clear, zoom and throttled change signals; plus the numpy pixel operations underneath."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from scipy import ndimage

from ganstudio.core.sketch.drawing import flood_mask, paint_segment, shape_mask
from ganstudio.core.sketch.palette import Palette
from ganstudio.ui.widgets.sketch_canvas import SketchCanvas

PALETTE = Palette(("background", "sky", "leaf", "petal"), ((100, 100, 100), (140, 180, 220), (80, 125, 45),
                                                            (230, 140, 175)))
LEFT, RIGHT, NO_MOD = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier


@pytest.fixture
def make_canvas(qtbot):
    def make(mode: str = "labels", shape=(64, 64), zoom: float = 1.0) -> SketchCanvas:
        canvas = SketchCanvas(shape, mode, PALETTE if mode == "labels" else None)
        canvas.set_zoom(zoom)
        qtbot.addWidget(canvas)
        canvas.show()
        qtbot.waitExposed(canvas)
        return canvas

    return make


def drag(canvas, points, button=LEFT):
    """Press at the first point, move through the rest, release at the last (widget coordinates)."""
    QTest.mousePress(canvas, button, NO_MOD, QPoint(*points[0]))
    for point in points[1:]:
        QTest.mouseMove(canvas, QPoint(*point))
    QTest.mouseRelease(canvas, button, NO_MOD, QPoint(*points[-1]))


# ---- pixel operations ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("end", [(60.5, 3.5), (3.5, 60.5), (60.5, 47.5), (61.5, 10.5)])
def test_a_one_pixel_segment_has_no_gaps(end):
    canvas = np.zeros((64, 64), np.uint8)
    box = paint_segment(canvas, (2.5, 2.5), end, 0.5, 1)
    assert box is not None and canvas[2, 2] == 1 and canvas[int(end[1]), int(end[0])] == 1
    _, count = ndimage.label(canvas, structure=np.ones((3, 3)))
    assert count == 1  # one 8-connected line from start to end
    assert canvas[box[1]:box[3], box[0]:box[2]].sum() == canvas.sum()  # the box covers everything painted


def test_fill_does_not_leak_through_a_diagonal_wall():
    canvas = np.zeros((8, 8), np.uint8)
    np.fill_diagonal(canvas, 1)
    mask = flood_mask(canvas, 6, 1)
    assert mask.sum() == 28 and not mask[1, 6 - 6] and flood_mask(canvas, 99, 0) is None


def test_shapes_filled_and_outlined():
    _, rect = shape_mask((32, 32), (2, 3), (11, 9), "rect")
    assert rect.shape == (7, 10) and rect.all()
    _, ellipse = shape_mask((32, 32), (0, 0), (19, 19), "ellipse")
    assert not ellipse[0, 0] and ellipse[10, 10] and ellipse[0, 10]
    _, outline = shape_mask((32, 32), (0, 0), (19, 19), "rect", outline=2)
    assert outline[0, 5] and outline[1, 5] and not outline[2, 5] and not outline[10, 10]
    assert shape_mask((32, 32), (40, 40), (50, 50), "rect") is None


# ---- the widget ---------------------------------------------------------------------------------------------------
def test_stroke_paints_and_undo_restores_exactly(qtbot, make_canvas):
    canvas = make_canvas()
    rng = np.random.default_rng(0)
    start = rng.integers(0, 4, (64, 64), dtype=np.uint8)
    canvas.set_sketch(start, undoable=False)
    canvas.set_value(3)
    canvas.set_brush_size(3)
    with qtbot.waitSignal(canvas.stroke_finished):
        drag(canvas, [(5, 5), (20, 8), (40, 30)])
    assert canvas.array[5, 5] == 3 and canvas.array[30, 40] == 3 and canvas.array[8, 20] == 3
    painted = canvas.array.copy()
    assert canvas.undo_stack.count() == 1
    command = canvas.undo_stack.command(0)
    assert command.before.size < 64 * 64 // 2  # only the stroke's bounding box is stored
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.array, start)
    canvas.undo_stack.redo()
    assert np.array_equal(canvas.array, painted)


def test_a_fast_stroke_is_interpolated_between_mouse_events(make_canvas):
    canvas = make_canvas(zoom=2.0)
    canvas.set_brush_size(1)
    canvas.set_value(1)
    drag(canvas, [(2, 2), (120, 100)])  # two events 60 pixels apart
    line = canvas.array == 1
    _, count = ndimage.label(line, structure=np.ones((3, 3)))
    assert count == 1 and line.sum() >= 59


def test_eraser_and_right_button_paint_the_background(make_canvas):
    canvas = make_canvas()
    canvas.set_sketch(np.full((64, 64), 2, np.uint8), undoable=False)
    canvas.set_tool("eraser")
    drag(canvas, [(10, 10), (10, 30)])
    assert canvas.array[20, 10] == PALETTE.background
    canvas.set_tool("brush")
    drag(canvas, [(40, 10), (40, 30)], button=RIGHT)
    assert canvas.array[20, 40] == PALETTE.background and canvas.array[20, 25] == 2


def test_edges_mode_pen_draws_ink_and_eraser_draws_paper(make_canvas):
    canvas = make_canvas("edges")
    assert (canvas.array == 255).all() and canvas.value == 0
    drag(canvas, [(10, 10), (50, 10)])
    assert canvas.array[10, 30] == 0
    canvas.set_tool("eraser")
    drag(canvas, [(30, 2), (30, 20)])
    assert canvas.array[10, 30] == 255 and canvas.array[10, 12] == 0


def test_fill_then_undo(make_canvas):
    canvas = make_canvas()
    canvas.set_value(2)
    canvas.set_tool("rect")
    drag(canvas, [(10, 10), (30, 30)])
    assert canvas.array[10:31, 10:31].min() == 2 and canvas.array[9, 9] == 0  # labels: shapes are filled areas
    before = canvas.array.copy()
    canvas.set_tool("fill")
    canvas.set_value(1)
    drag(canvas, [(2, 2)])
    assert canvas.array[0, 0] == 1 and canvas.array[50, 50] == 1 and canvas.array[20, 20] == 2
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.array, before)
    assert canvas.undo_stack.count() == 2


def test_edge_shapes_are_outlines(make_canvas):
    canvas = make_canvas("edges")
    canvas.set_brush_size(2)
    canvas.set_tool("ellipse")
    drag(canvas, [(4, 4), (40, 30), (60, 60)])
    assert canvas.array[32, 32] == 255 and (canvas.array == 0).sum() > 50


def test_pipette_picks_the_class(qtbot, make_canvas):
    canvas = make_canvas()
    ids = np.zeros((64, 64), np.uint8)
    ids[40:, 40:] = 3
    canvas.set_sketch(ids, undoable=False)
    canvas.set_tool("pipette")
    with qtbot.waitSignal(canvas.value_picked) as picked:
        drag(canvas, [(50, 50)])
    assert picked.args == [3] and canvas.value == 3 and canvas.undo_stack.count() == 0


def test_clear_and_replace_are_undoable(make_canvas):
    canvas = make_canvas()
    drag(canvas, [(5, 5), (30, 30)])
    painted = canvas.array.copy()
    canvas.clear()
    assert (canvas.array == PALETTE.background).all()
    canvas.set_sketch(np.full((20, 30), 2, np.uint8), "Load file")
    assert canvas.array.shape == (20, 30) and canvas.width() == 30
    canvas.undo_stack.undo()
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.array, painted) and canvas.width() == 64


def test_zoom_maps_mouse_to_pixels_and_ctrl_wheel_zooms(qtbot, make_canvas):
    canvas = make_canvas(zoom=4.0)
    assert canvas.width() == 256
    canvas.set_brush_size(1)
    drag(canvas, [(41, 81)])
    assert canvas.array[20, 10] == canvas.value and (canvas.array != 0).sum() == 1
    wheel = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    with qtbot.waitSignal(canvas.zoom_changed):
        canvas.wheelEvent(wheel)
    assert canvas.zoom == 6.0 and canvas.width() == 384
    canvas.zoom_out()
    canvas.zoom_out()
    assert canvas.zoom == 3.0


def test_changed_is_throttled_during_a_stroke(qtbot, make_canvas):
    canvas = make_canvas()
    changes, finished = [], []
    canvas.changed.connect(lambda: changes.append(1))
    canvas.stroke_finished.connect(lambda: finished.append(1))
    QTest.mousePress(canvas, LEFT, NO_MOD, QPoint(2, 2))
    for x in range(3, 60):
        QTest.mouseMove(canvas, QPoint(x, 2 + x // 2))
    QTest.mouseRelease(canvas, LEFT, NO_MOD, QPoint(60, 32))
    assert 1 <= len(changes) < 20 and finished == [1]  # 58 moves in well under a second → a few emissions
    assert canvas.undo_stack.count() == 1


def test_undo_during_a_drag_does_not_crash(make_canvas):
    canvas = make_canvas()
    drag(canvas, [(5, 5), (10, 10)])
    QTest.mousePress(canvas, LEFT, NO_MOD, QPoint(30, 30))
    QTest.mouseMove(canvas, QPoint(40, 40))
    canvas.undo_stack.undo()
    QTest.mouseMove(canvas, QPoint(50, 50))
    QTest.mouseRelease(canvas, LEFT, NO_MOD, QPoint(50, 50))
    assert canvas.array[7, 7] == PALETTE.background and canvas.array[35, 35] == canvas.value

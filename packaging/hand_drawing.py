"""Drawings made the way a person makes them on the Sketch page: tool choices and mouse drags on the real canvas.

Used by take_screenshots.py, so what the README shows is a shipped model rendering a drawing made with the real tools,
not a label map derived from a photo. Coordinates are canvas pixels on a 128 px canvas, scaled to the canvas.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


def _at(canvas, x: float, y: float) -> QPoint:
    scale = canvas.array.shape[1] / 128.0
    return QPoint(int(x * scale * canvas.zoom), int(y * scale * canvas.zoom))


def drag(canvas, points: list[tuple[float, float]]) -> None:
    QTest.mousePress(canvas, LEFT, NONE, _at(canvas, *points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(canvas, _at(canvas, x, y))
    QTest.mouseRelease(canvas, LEFT, NONE, _at(canvas, *points[-1]))


def use(canvas, tool: str, value: int, brush: int = 6) -> None:
    canvas.set_tool(tool)
    canvas.set_value(value)
    canvas.set_brush_size(brush)


def petal_outline(cx: float, cy: float, radius: float, petals: int, wobble: float) -> list[tuple[float, float]]:
    def point(a: float) -> tuple[float, float]:
        r = radius + wobble * math.cos(petals * a)
        return cx + r * math.cos(a), cy + r * math.sin(a)

    return [point(i * 2 * math.pi / 90) for i in range(91)]


def paint_label_flower(canvas, palette) -> None:
    """Foliage background, a sky strip, a yellow sunflower-like head with a dark centre, a green stem."""
    ids = {name: i for i, name in enumerate(palette.names)}
    use(canvas, "fill", ids["foliage"])
    drag(canvas, [(5, 120)])
    use(canvas, "rect", ids["sky"])
    drag(canvas, [(0, 0), (127, 22)])
    use(canvas, "brush", ids["dark foliage"], brush=10)
    drag(canvas, [(64, 126), (62, 100), (60, 80)])
    use(canvas, "ellipse", ids["petal yellow"])
    drag(canvas, [(28, 22), (100, 90)])
    use(canvas, "ellipse", ids["flower centre"])
    drag(canvas, [(50, 42), (78, 70)])


def draw_edge_flower(canvas) -> None:
    """A daisy-like outline: wavy petal ring, a centre circle, a stem and a leaf, with the pen."""
    use(canvas, "brush", 0, brush=1)
    drag(canvas, petal_outline(64, 54, 34, 8, 7))
    drag(canvas, petal_outline(64, 54, 11, 1, 0))
    drag(canvas, [(64, 95), (63, 110), (62, 127)])
    drag(canvas, [(63, 112), (75, 104), (86, 106), (74, 114), (63, 116)])

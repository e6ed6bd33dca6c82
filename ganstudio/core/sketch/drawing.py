"""Pixel operations of the sketch canvas on (H, W) uint8 arrays: thick gap-free segments, flood fill, rectangles and
ellipses. Each returns the bounding box it touched, so an edit can be stored (and redrawn) as that box only."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive)
FOUR_CONNECTED = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], bool)  # a fill must not leak through diagonal gaps


def union_box(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def clip_box(box: Box, shape: tuple[int, ...]) -> Box | None:
    """`box` inside an array of `shape`; None if nothing of it is."""
    x0, y0 = max(box[0], 0), max(box[1], 0)
    x1, y1 = min(box[2], shape[1]), min(box[3], shape[0])
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def mask_box(mask: np.ndarray) -> Box | None:
    """The bounding box of the True pixels of a full-size mask."""
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if rows.size == 0:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def segment_mask(shape: tuple[int, ...], p0: tuple[float, float], p1: tuple[float, float],
                 radius: float) -> tuple[Box, np.ndarray] | None:
    """Pixels whose centres lie within `radius` of the segment p0→p1 (points in pixel units, x then y).

    A whole segment between two mouse positions, not a dab at each: however fast the mouse moves, the line has no
    gaps. Only the segment's bounding box is computed, so a stroke costs what it covers, not the whole canvas.
    """
    radius = max(radius, 0.5)  # a 1 px brush still reaches the pixel under the cursor
    (ax, ay), (bx, by) = p0, p1
    box = clip_box((int(np.floor(min(ax, bx) - radius)), int(np.floor(min(ay, by) - radius)),
                    int(np.ceil(max(ax, bx) + radius)) + 1, int(np.ceil(max(ay, by) + radius)) + 1), shape)
    if box is None:
        return None
    ys, xs = np.mgrid[box[1]:box[3], box[0]:box[2]].astype(np.float32) + 0.5
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.zeros_like(xs) if length2 == 0 else np.clip(((xs - ax) * dx + (ys - ay) * dy) / length2, 0.0, 1.0)
    mask = (xs - ax - t * dx) ** 2 + (ys - ay - t * dy) ** 2 <= radius * radius
    return box, mask


def paint_segment(array: np.ndarray, p0: tuple[float, float], p1: tuple[float, float], radius: float,
                  value: int) -> Box | None:
    """Draw a round-capped line of `value` into `array` in place; returns the box it touched."""
    found = segment_mask(array.shape, p0, p1, radius)
    if found is None:
        return None
    box, mask = found
    array[box[1]:box[3], box[0]:box[2]][mask] = value
    return box


def flood_mask(array: np.ndarray, x: int, y: int) -> np.ndarray | None:
    """The 4-connected region of equal values around (x, y), as a full-size mask; None outside the array."""
    if not (0 <= y < array.shape[0] and 0 <= x < array.shape[1]):
        return None
    regions, _ = ndimage.label(array == array[y, x], structure=FOUR_CONNECTED)
    return regions == regions[y, x]


def shape_mask(shape: tuple[int, ...], p0: tuple[int, int], p1: tuple[int, int], kind: str,
               outline: int = 0) -> tuple[Box, np.ndarray] | None:
    """A rectangle or ellipse spanning the pixels p0..p1 (inclusive corners), filled or an `outline` px wide line."""
    x0, x1 = sorted((p0[0], p1[0]))
    y0, y1 = sorted((p0[1], p1[1]))
    box = clip_box((x0, y0, x1 + 1, y1 + 1), shape)
    if box is None:
        return None
    ys, xs = np.mgrid[box[1]:box[3], box[0]:box[2]].astype(np.float32) + 0.5
    inside = _inside(kind, xs, ys, (x0, y0, x1 + 1, y1 + 1), 0.0)
    if outline > 0:
        inside &= ~_inside(kind, xs, ys, (x0, y0, x1 + 1, y1 + 1), float(outline))
    return box, inside


def _inside(kind: str, xs: np.ndarray, ys: np.ndarray, frame: Box, inset: float) -> np.ndarray:
    """Pixel centres inside the shape inscribed in `frame`, shrunk by `inset` pixels on every side."""
    left, top, right, bottom = frame[0] + inset, frame[1] + inset, frame[2] - inset, frame[3] - inset
    if right <= left or bottom <= top:
        return np.zeros(xs.shape, bool)
    if kind == "rect":
        return (xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)
    cx, cy, rx, ry = (left + right) / 2, (top + bottom) / 2, (right - left) / 2, (bottom - top) / 2
    return ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2 <= 1.0

"""Fitting a canvas to what a translation model accepts: sides that are multiples of its stride, within a size cap.

Label maps are resized with nearest neighbour (ids must stay ids); edge sketches keep every ink stroke when shrunk.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def work_size(height: int, width: int, granularity: int, max_side: int) -> tuple[int, int]:
    """The (h, w) a model renders a canvas at: each side rounded to a multiple of `granularity`, at most max_side."""
    scale = min(1.0, max_side / max(height, width))

    def fit(side: int) -> int:
        return max(granularity, int(round(side * scale / granularity)) * granularity)

    return fit(height), fit(width)


def resize_sketch(sketch: np.ndarray, size: tuple[int, int], kind: str) -> np.ndarray:
    """(H, W) uint8 → (h, w): labels by nearest neighbour; edges by box filter, any ink in a cell stays ink."""
    h, w = size
    if sketch.shape[:2] == (h, w):
        return sketch
    if kind == "labels":
        return np.asarray(Image.fromarray(sketch).resize((w, h), Image.Resampling.NEAREST))
    smooth = np.asarray(Image.fromarray(sketch).resize((w, h), Image.Resampling.BOX))
    return np.where(smooth < 200, 0, 255).astype(np.uint8)


def resize_photo(photo: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    h, w = size
    if photo.shape[:2] == (h, w):
        return photo
    return np.asarray(Image.fromarray(photo).resize((w, h), Image.Resampling.BICUBIC))

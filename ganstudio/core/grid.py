"""Tiling image batches into one grid image, and converting between [-1, 1] floats and uint8."""

from __future__ import annotations

import math

import numpy as np


def to_uint8(images: np.ndarray) -> np.ndarray:
    """[-1, 1] float images → uint8 [0, 255]."""
    return np.clip((np.asarray(images, dtype=np.float32) + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)


def to_float(images: np.ndarray) -> np.ndarray:
    """uint8 [0, 255] → float32 [-1, 1] (the range every generator here works in)."""
    return images.astype(np.float32) / 127.5 - 1.0


def grid_shape(n: int) -> tuple[int, int]:
    """Rows, columns of a near-square grid that holds n images with the fewest empty cells: ceil(√n) columns, or up
    to twice √n when that fills the last row better (8 → 2 × 4, not 3 × 3 with a black hole)."""
    square = max(1, math.ceil(math.sqrt(n)))
    cols = min(range(square, max(square, math.floor(2 * math.sqrt(n))) + 1), key=lambda c: (-n % c, c))
    return math.ceil(n / cols), cols


def _layout(n: int, columns: int | None) -> tuple[int, int]:
    return grid_shape(n) if columns is None else (math.ceil(n / columns), columns)


def tile(images: np.ndarray, pad: int = 2, pad_value: int = 0, columns: int | None = None) -> np.ndarray:
    """Tile uint8 (N, H, W, C) images into one (rows·H, cols·W, C) image with `pad` pixels between them."""
    n, h, w, c = images.shape
    rows, cols = _layout(n, columns)
    out = np.full((rows * (h + pad) - pad, cols * (w + pad) - pad, c), pad_value, dtype=images.dtype)
    for i in range(n):
        r, col = divmod(i, cols)
        out[r * (h + pad): r * (h + pad) + h, col * (w + pad): col * (w + pad) + w] = images[i]
    return out


def untile(grid: np.ndarray, n: int, pad: int = 2, columns: int | None = None) -> np.ndarray:
    """The n (N, H, W, C) images of a grid that tile() made with the same pad and columns (e.g. a preview grid, to
    score its samples one by one)."""
    rows, cols = _layout(n, columns)
    h, w = (grid.shape[0] + pad) // rows - pad, (grid.shape[1] + pad) // cols - pad
    if h < 1 or w < 1 or (rows * (h + pad) - pad, cols * (w + pad) - pad) != grid.shape[:2]:
        raise ValueError(f"A {grid.shape[0]}×{grid.shape[1]} grid is no tiling of {n} images with pad {pad}.")
    cells = [divmod(i, cols) for i in range(n)]
    return np.stack([grid[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] for r, c in cells])

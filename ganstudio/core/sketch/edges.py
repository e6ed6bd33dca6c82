"""Edge maps from photos, as edges2shoes was made from real photos: Canny contours on a smoothed image.

The convention of the pix2pix edge data sets: black ink (0) on white paper (255), lines about one pixel wide.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

INK, PAPER = 0, 255


def luminance(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 → (H, W) float32 in [0, 1] (Rec. 601 weights); grayscale input passes through."""
    x = np.asarray(rgb, np.float32) / 255.0
    return x if x.ndim == 2 else x[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)


def edges_from_photo(rgb: np.ndarray, sigma: float | None = None, high_quantile: float = 0.88,
                     min_pixels: int | None = None) -> np.ndarray:
    """(H, W, 3) uint8 photo → (H, W) uint8 edge sketch (0 = ink, 255 = paper).

    Thresholds are quantiles of the gradient magnitude, so dark and bright photos give similar line density;
    short fragments are dropped, because a person sketching draws contours, not texture speckle.
    """
    scale = max(rgb.shape[:2]) / 128.0  # the defaults are tuned on 128 px photos and scale with the image
    gray = ndimage.gaussian_filter(luminance(rgb), sigma if sigma is not None else 1.6 * scale)
    gx, gy = ndimage.sobel(gray, 1), ndimage.sobel(gray, 0)
    magnitude = np.hypot(gx, gy)
    thin = magnitude * _is_local_max(magnitude, gx, gy)
    high = np.quantile(magnitude, high_quantile)
    lines = _hysteresis(thin, 0.5 * high, high)
    lines = _drop_small(lines, min_pixels if min_pixels is not None else int(round(10 * scale)))
    return np.where(lines, INK, PAPER).astype(np.uint8)


def _is_local_max(magnitude: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Non-maximum suppression along the gradient direction, quantised to 4 directions."""
    angle = (np.rad2deg(np.arctan2(gy, gx)) + 180.0) % 180.0
    sector = (np.round(angle / 45.0).astype(int)) % 4  # 0: horizontal gradient, 1: 45°, 2: vertical, 3: 135°
    padded = np.pad(magnitude, 1, mode="edge")
    h, w = magnitude.shape
    keep = np.zeros_like(magnitude, bool)
    for k, (dy, dx) in enumerate(((0, 1), (1, 1), (1, 0), (1, -1))):
        before = padded[1 - dy:1 - dy + h, 1 - dx:1 - dx + w]
        after = padded[1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
        keep |= (sector == k) & (magnitude >= before) & (magnitude >= after)
    return keep


def _hysteresis(strength: np.ndarray, low: float, high: float) -> np.ndarray:
    """Weak edge pixels survive only when connected to a strong one."""
    labels, count = ndimage.label(strength > low, structure=np.ones((3, 3), bool))
    if count == 0:
        return np.zeros(strength.shape, bool)
    strong = np.zeros(count + 1, bool)
    strong[np.unique(labels[strength > high])] = True
    strong[0] = False
    return strong[labels]


def _drop_small(mask: np.ndarray, min_pixels: int) -> np.ndarray:
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if count == 0:
        return mask
    keep = np.bincount(labels.ravel()) >= min_pixels
    keep[0] = False
    return keep[labels]

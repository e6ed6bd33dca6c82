"""Label maps from photos: each pixel gets the nearest named material colour (in CIE Lab), smoothed into flat regions.

This is "semantic-ish": colour decides the class, so a yellow petal and a yellow wall share a label. It is what the
flower data set allows without human annotation, and it is what a person paints on the Sketch page.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from ganstudio.core.sketch.palette import FLOWER_MATERIALS, Palette


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (…, 3) → CIE Lab (D65), float32."""
    c = np.asarray(rgb, np.float32) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array([[0.4124, 0.2126, 0.0193], [0.3576, 0.7152, 0.1192], [0.1805, 0.0722, 0.9505]], np.float32)
    xyz /= np.array([0.95047, 1.0, 1.08883], np.float32)
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    return np.stack([116.0 * f[..., 1] - 16.0, 500.0 * (f[..., 0] - f[..., 1]), 200.0 * (f[..., 1] - f[..., 2])], -1)


def nearest_class(rgb: np.ndarray, palette: Palette, lightness_weight: float = 1.0) -> np.ndarray:
    """Per-pixel id of the palette colour nearest in Lab; plain Lab distance."""
    weights = np.array([lightness_weight, 1.0, 1.0], np.float32)
    pixels = rgb_to_lab(rgb) * weights
    protos = rgb_to_lab(np.asarray(palette.colors, np.uint8)) * weights
    dist = ((pixels[..., None, :] - protos) ** 2).sum(-1)
    return dist.argmin(-1).astype(np.uint8)


def mode_filter(ids: np.ndarray, classes: int, size: int) -> np.ndarray:
    """Each pixel becomes the most frequent id in its size×size window: speckle goes, region borders stay put."""
    votes = np.stack([ndimage.uniform_filter((ids == k).astype(np.float32), size, mode="nearest")
                      for k in range(classes)], -1)
    return votes.argmax(-1).astype(np.uint8)


def labels_from_photo(rgb: np.ndarray, palette: Palette = FLOWER_MATERIALS, passes: int = 2) -> np.ndarray:
    """(H, W, 3) uint8 photo → (H, W) uint8 class ids of `palette`, in flat regions like a painted label map."""
    scale = max(rgb.shape[:2]) / 128.0
    smooth = ndimage.gaussian_filter(np.asarray(rgb, np.float32), (1.2 * scale, 1.2 * scale, 0))
    ids = nearest_class(np.clip(smooth, 0, 255).astype(np.uint8), palette)
    size = max(3, int(round(5 * scale)) | 1)
    for _ in range(passes):
        ids = mode_filter(ids, len(palette), size)
    return ids

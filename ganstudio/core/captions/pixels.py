"""Pixel colour names for caption facts: a photo at 64×64, lightly blurred, each pixel named by fixed HSV rules."""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from ganstudio.core.image_data.images import center_crop_resize
from ganstudio.core.sketch.labels import rgb_to_lab

SIZE = 64
PIXEL_NAMES = ("white", "yellow", "orange", "red", "pink", "purple", "green", "blue", "brown", "grey", "black")
ID = {name: i for i, name in enumerate(PIXEL_NAMES)}


def prepare(rgb: np.ndarray) -> np.ndarray:
    arr = np.asarray(rgb)
    if arr.ndim != 3 or arr.shape[-1] != 3 or arr.dtype != np.uint8 or min(arr.shape[:2]) < 16:
        raise ValueError(f"expected a uint8 (H, W, 3) photo of at least 16×16, got {arr.dtype} {arr.shape}")
    if arr.shape[:2] != (SIZE, SIZE):
        arr = np.asarray(center_crop_resize(Image.fromarray(arr), SIZE))
    # A light blur: JPEG chroma noise would otherwise scatter single pixels into other colour names.
    return ndimage.gaussian_filter(arr.astype(np.float32) / 255.0, (0.7, 0.7, 0))


def hsv(img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hue in degrees [0, 360), saturation and value in [0, 1]."""
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    v, lo = img.max(-1), img.min(-1)
    span = np.maximum(v - lo, 1e-6)
    h = np.where(v == r, (g - b) / span % 6, np.where(v == g, (b - r) / span + 2, (r - g) / span + 4)) * 60.0
    return h % 360.0, np.where(v > 1e-6, (v - lo) / np.maximum(v, 1e-6), 0.0), v


def pixel_names(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Per-pixel index into PIXEL_NAMES. The first matching rule wins, so dark and pale pixels are named first."""
    red_hue, magenta = (h >= 340) | (h < 14), (h >= 295) & (h < 340)
    orange_hue, amber, yellow_hue = (h >= 14) & (h < 34), (h >= 34) & (h < 40), (h >= 40) & (h < 68)
    rules = [
        (v < 0.2, "black"),
        ((s < 0.2) & (v >= 0.6), "white"),
        ((s < 0.28) & (v >= 0.8) & (h >= 14) & (h < 68), "white"),  # cream petals in sunlight
        ((s < 0.22) | ((s < 0.3) & (v < 0.4)), "grey"),
        ((h >= 68) & (h < 170), "green"),
        ((h >= 170) & (h < 250), "blue"),
        ((h >= 250) & (h < 295), "purple"),
        (magenta & (v < 0.42), "purple"),
        (magenta, "pink"),
        # Red is saturated (or deep and dark, crimson); a lighter or less saturated red reads as pink.
        (red_hue & (s >= 0.68) & (v >= 0.25), "red"),
        (red_hue & (s >= 0.5) & (v >= 0.25) & (v < 0.65), "red"),
        (red_hue & (v >= 0.5), "pink"),
        (orange_hue & (s >= 0.55) & (v >= 0.6), "orange"),
        (orange_hue & (v >= 0.8) & (h < 20), "pink"),  # salmon and peach
        (orange_hue & (v >= 0.8) & (s >= 0.35), "orange"),
        # Amber is yellow only when vivid; dull amber is dry grass, soil or a shaded seed disc.
        (amber & (s >= 0.6) & (v >= 0.65), "yellow"),
        (yellow_hue & (v >= 0.55) & (s >= 0.3), "yellow"),
        (yellow_hue & (h >= 52), "green"),  # olive: dry grass and shaded leaves
    ]
    out = np.full(h.shape, ID["brown"], np.int8)
    decided = np.zeros(h.shape, bool)
    for cond, name in rules:
        out[cond & ~decided] = ID[name]
        decided |= cond
    return out


def centre_prior() -> np.ndarray:
    y, x = np.mgrid[0:SIZE, 0:SIZE] / (SIZE - 1) - 0.5
    return np.exp(-(x**2 + y**2) / (2 * 0.35**2))


def border_contrast(img: np.ndarray, ring: int = 3) -> np.ndarray:
    """0..1 per pixel: how far its Lab colour is from the border's (5th-nearest border pixel, so a flower that
    touches the edge in a few places is still unlike the border)."""
    lab = rgb_to_lab((img * 255).astype(np.uint8)).reshape(-1, 3)
    edge = np.ones((SIZE, SIZE), bool)
    edge[ring:-ring, ring:-ring] = False
    border = lab[edge.ravel()][::2]
    # |a − b|² = |a|² + |b|² − 2a·b: one matrix product instead of a (4096, border, 3) difference array.
    sq = (lab**2).sum(1)[:, None] + (border**2).sum(1)[None] - 2.0 * lab @ border.T
    fifth = np.sqrt(np.maximum(np.partition(sq, 4, axis=1)[:, 4], 0.0))
    return np.clip((fifth - 8.0) / 25.0, 0.0, 1.0).reshape(SIZE, SIZE)


def border_share(names: np.ndarray, colour: str, ring: int = 2) -> float:
    """The fraction of the frame's outer `ring` pixels named `colour`."""
    edge = np.ones(names.shape, bool)
    edge[ring:-ring, ring:-ring] = False
    return float((names[edge] == ID[colour]).mean())

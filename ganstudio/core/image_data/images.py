"""Robust image reading: any mode (grayscale, RGBA, 16-bit, palette) and size becomes uint8 RGB/L at a fixed size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ganstudio.core.errors import DataError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}


def is_image_name(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")


def _to_8bit(img: Image.Image) -> Image.Image:
    """16-bit and float greyscale modes are rescaled to their real range, not clipped."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = (arr - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(arr)
        return Image.fromarray(scaled.round().astype(np.uint8), mode="L")
    return img


def _to_mode(img: Image.Image, channels: int) -> Image.Image:
    img = _to_8bit(ImageOps.exif_transpose(img))
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Composite transparent pixels on white, as a viewer would show them.
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    return img.convert("L" if channels == 1 else "RGB")


def center_crop_resize(img: Image.Image, size: int) -> Image.Image:
    """Crop the central square, then resize to size×size (area filter when shrinking)."""
    w, h = img.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    img = img.crop((left, top, left + side, top + side))
    if side != size:
        img = img.resize((size, size), Image.Resampling.BOX if side > size else Image.Resampling.BICUBIC)
    return img


def load_image(path: str | Path, size: int, channels: int = 3) -> np.ndarray:
    """Read an image file as uint8 (size, size, channels); raises DataError for unreadable or truncated files."""
    path = Path(path)
    try:
        with Image.open(path) as img:
            img.load()  # forces a full decode so truncated files fail here, not later
            img = center_crop_resize(_to_mode(img, channels), size)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as err:
        raise DataError(f"{path.name} is not a readable image ({err}).", "Remove or replace the file.") from err
    arr = np.asarray(img, dtype=np.uint8)
    return arr[..., None] if channels == 1 else arr


def to_pil(image: np.ndarray) -> Image.Image:
    """uint8 HWC (C = 1 or 3) → PIL image."""
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    return Image.fromarray(image)

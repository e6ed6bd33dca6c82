"""Reading and writing Sketch page files: label maps (PNG of class ids, the Cityscapes/pix2pixHD convention), edge
sketches (0 = ink, 255 = paper), photos to derive a canvas from, exported renders and pairs, and the canvas autosave.
Every reader turns bad input into a DataError; every writer is atomic."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ganstudio.core.atomic import write_bytes_atomic
from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import _to_mode  # EXIF rotation, 16-bit rescaling, transparency composited on white
from ganstudio.core.sketch.edges import INK, PAPER
from ganstudio.core.sketch.palette import Palette
from ganstudio.paths import user_data_dir

MAX_SIDE = 1024  # larger files are downscaled: a canvas this size still paints smoothly, and models render ≤ 512 px
GREY_PHOTO_SHARE = 0.3  # a "sketch" with this share of mid-grey pixels is probably a photo
_READ_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError)


def _open(path: str | Path, draft_side: int | None = None) -> Image.Image:
    """A fully decoded image, or a DataError saying the file is not one (a truncated file fails here, not later)."""
    path = Path(path)
    try:
        with Image.open(path) as img:
            original_size = img.size
            if draft_side:
                img.draft("RGB", (draft_side, draft_side))  # JPEG decodes at a reduced scale: a 24 MP photo in ms
            img.load()
            loaded = img.copy()
            loaded.info["original_size"] = original_size  # what the user's file is, before the draft reduction
            return loaded
    except _READ_ERRORS as err:
        raise DataError(f"{path.name} is not a readable image ({err}).", "Choose a PNG or JPEG file.") from err


def _fit_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _downscaled_note(path: str | Path, before: tuple[int, int], after: tuple[int, int]) -> str:
    return (f"{Path(path).name} is {before[0]}×{before[1]}: downscaled to {after[0]}×{after[1]} "
            f"(the canvas holds at most {MAX_SIDE} px a side).")


def encode_png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(array, np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def save_png(image: np.ndarray, path: str | Path) -> None:
    """A uint8 (H, W) or (H, W, 3) image as a PNG, written atomically."""
    write_bytes_atomic(path, encode_png(image))


# ---- label maps ---------------------------------------------------------------------------------------------------
def save_label_map(ids: np.ndarray, path: str | Path) -> None:
    """(H, W) class ids as a greyscale PNG whose pixel values are the ids (what pix2pixHD's train_label holds)."""
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.dtype != np.uint8:
        raise DataError(f"A label map must be (H, W) uint8 ids, not {ids.dtype} {ids.shape}.",
                        "This is a bug; report it.")
    save_png(ids, path)


def load_label_map(path: str | Path, palette: Palette,
                   max_side: int = MAX_SIDE) -> tuple[np.ndarray, list[str]]:
    """A PNG of class ids (L, P or 16-bit), or a colour picture painted in the palette's colours → (ids, notes).

    Ids the palette lacks raise a DataError listing them rather than being mapped to the background: such a map was
    made for another class scheme (e.g. Cityscapes' 34 classes), and quietly repainting those pixels would render a
    picture the file does not describe. The canvas is untouched, so nothing the user painted is lost.
    """
    img = _open(path)
    ids = _ids_of(img, palette, Path(path).name)
    unknown = palette.unknown_ids(ids)
    if unknown:
        shown = ", ".join(str(v) for v in unknown[:12]) + (" …" if len(unknown) > 12 else "")
        raise DataError(f"{Path(path).name} uses class ids this model's palette lacks: {shown} "
                        f"(the palette has ids 0–{len(palette) - 1}).",
                        "Open a label map made for this model's classes, or pick a model with that many classes.")
    ids, notes = ids.astype(np.uint8), []
    if max(ids.shape) > max_side:
        size = _fit_size(ids.shape[1], ids.shape[0], max_side)
        notes.append(_downscaled_note(path, (ids.shape[1], ids.shape[0]), size))
        ids = np.asarray(Image.fromarray(ids).resize(size, Image.Resampling.NEAREST))  # ids must not be blended
    return ids, notes


def _ids_of(img: Image.Image, palette: Palette, name: str) -> np.ndarray:
    if img.mode in ("L", "P", "I", "I;16", "I;16B", "I;16L"):
        return np.asarray(img).astype(np.int64)  # a P image's indices are the ids (the PASCAL VOC convention)
    rgb = np.asarray(img.convert("RGB"))
    ids = ids_from_colours(rgb, palette)
    if ids is not None:
        return ids.astype(np.int64)
    if (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all():
        return rgb[..., 0].astype(np.int64)  # ids saved as a grey RGB picture
    raise DataError(f"{name} is a colour picture whose colours are not this model's palette colours.",
                    "Open a PNG of class ids (greyscale), or a label map painted in the palette's colours; "
                    "for a photo use Load photo….")


def ids_from_colours(rgb: np.ndarray, palette: Palette) -> np.ndarray | None:
    """Map a picture painted exactly in the palette's colours back to ids; None if any colour is not a palette colour."""
    codes = (rgb[..., 0].astype(np.int64) << 16) | (rgb[..., 1].astype(np.int64) << 8) | rgb[..., 2]
    table = {(r << 16) | (g << 8) | b: i for i, (r, g, b) in reversed(list(enumerate(palette.colors)))}
    colours, inverse = np.unique(codes, return_inverse=True)
    if not all(int(c) in table for c in colours):
        return None
    return np.array([table[int(c)] for c in colours], np.uint8)[inverse.reshape(codes.shape)]


# ---- edge sketches and photos -------------------------------------------------------------------------------------
def save_sketch(edges: np.ndarray, path: str | Path) -> None:
    """An edge sketch as a greyscale PNG (0 = ink, 255 = paper), written atomically."""
    edges = np.asarray(edges)
    if edges.ndim != 2:
        raise DataError(f"A sketch must be (H, W), not {edges.shape}.", "This is a bug; report it.")
    save_png(edges.astype(np.uint8), path)


def load_sketch(path: str | Path, max_side: int = MAX_SIDE) -> tuple[np.ndarray, list[str]]:
    """Any image → a black-and-white edge sketch (dark half = ink, light half = paper) → (edges, notes)."""
    gray = np.asarray(_to_mode(_open(path), 1), np.uint8)  # transparent pixels become paper
    notes = []
    mid_grey = np.mean((gray > 40) & (gray < 215))
    if mid_grey > GREY_PHOTO_SHARE:
        notes.append(f"{Path(path).name} has many grey tones, so it was thresholded to black and white; "
                     "for a photo, Load photo… computes an edge map instead.")
    if max(gray.shape) > max_side:
        factor = math.ceil(max(gray.shape) / max_side)
        before = (gray.shape[1], gray.shape[0])
        gray = _block_min(gray, factor)
        notes.append(_downscaled_note(path, before, (gray.shape[1], gray.shape[0])))
    return np.where(gray < 128, INK, PAPER).astype(np.uint8), notes


def _block_min(gray: np.ndarray, factor: int) -> np.ndarray:
    """Downscale by keeping the darkest pixel of each factor×factor block, so thin ink lines survive."""
    h, w = gray.shape
    padded = np.full((math.ceil(h / factor) * factor, math.ceil(w / factor) * factor), PAPER, np.uint8)
    padded[:h, :w] = gray
    return padded.reshape(padded.shape[0] // factor, factor, padded.shape[1] // factor, factor).min(axis=(1, 3))


def load_photo(path: str | Path, max_side: int) -> tuple[np.ndarray, list[str]]:
    """A photo as uint8 RGB no larger than `max_side` (aspect kept) → (rgb, notes); edges and labels derive from it."""
    opened = _open(path, draft_side=max_side)
    width, height = opened.info["original_size"]
    img = _to_mode(opened, 3)
    notes = []
    if max(img.size) > max_side:
        size = _fit_size(img.width, img.height, max_side)
        notes.append(f"The photo was scaled from {width}×{height} to {size[0]}×{size[1]}, the model's size.")
        img = img.resize(size, Image.Resampling.BOX)
    return np.asarray(img, np.uint8), notes


# ---- display, export and autosave ---------------------------------------------------------------------------------
def sketch_to_rgb(sketch: np.ndarray, palette: Palette | None) -> np.ndarray:
    """What the canvas shows: label ids in palette colours, or an edge sketch as grey RGB."""
    if palette is not None:
        return palette.colorize(sketch)
    return np.repeat(np.asarray(sketch, np.uint8)[..., None], 3, axis=-1)


def side_by_side(left: np.ndarray, right: np.ndarray, gap: int = 4) -> np.ndarray:
    """Two RGB images in one row (left scaled to right's height, nearest neighbour), with a white gap between."""
    height = right.shape[0]
    width = max(1, round(left.shape[1] * height / left.shape[0]))
    if left.shape[:2] != (height, width):
        left = np.asarray(Image.fromarray(left).resize((width, height), Image.Resampling.NEAREST))
    spacer = np.full((height, gap, 3), 255, np.uint8)
    return np.concatenate([left, spacer, right], axis=1)


def autosave_path(kind: str) -> Path:
    """Where the canvas for one kind of model ("labels" or "edges") is kept between sessions."""
    return user_data_dir() / "sketch" / f"autosave-{kind}.png"


def read_autosave(kind: str) -> np.ndarray | None:
    """The autosaved canvas, or None if there is none or it cannot be read (the canvas then starts blank)."""
    path = autosave_path(kind)
    try:
        with Image.open(path) as img:
            array = np.asarray(img.convert("L"), np.uint8)
    except (FileNotFoundError, *_READ_ERRORS):
        return None
    return array if array.ndim == 2 and max(array.shape) <= MAX_SIDE else None

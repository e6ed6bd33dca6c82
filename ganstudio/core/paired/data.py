"""Paired data sets for image-to-image translation: pix2pix side-by-side A|B folders and pix2pixHD label/img folders.

Detects the layout, pairs the files and loads them as uint8 input/target arrays (labels resized NEAREST, never blended).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import _to_mode, center_crop_resize, load_image
from ganstudio.core.paired.layout import (LabelPair, header_size, image_files, label_pairs, open_image, read_ids,
                                         read_palette, require_paired, split_folder)
from ganstudio.core.sketch.palette import Palette, generic_palette

GREY_TOLERANCE = 12  # JPEG chroma noise on black-and-white edge maps stays below this…
GREY_OUTLIERS = 0.005  # …except at a few pixels, mostly where the photo half's colour bleeds across the seam


@dataclass
class PairedData:
    inputs: np.ndarray  # uint8 (N, S, S, Cin): edges 1, RGB 3, labels 1 (+1 instance boundary 0/255)
    targets: np.ndarray  # uint8 (N, S, S, 3)
    names: list[str]
    input_kind: str  # "edges" | "image" | "labels"
    skipped: list[str] = field(default_factory=list)  # "file: reason"
    notes: list[str] = field(default_factory=list)
    class_count: int = 0
    palette: Palette | None = None


# ---- readers --------------------------------------------------------------------------------------------------------
def square_nearest(ids: np.ndarray, size: int) -> np.ndarray:
    """Central square crop resized with NEAREST (ids are never blended), as center_crop_resize crops photos."""
    h, w = ids.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = Image.fromarray(ids[top: top + side, left: left + side].astype(np.int32))
    return np.asarray(crop.resize((size, size), Image.Resampling.NEAREST)).astype(np.int64)


def instance_boundaries(instances: np.ndarray) -> np.ndarray:
    """uint8 (H, W): 255 where a pixel's instance id differs from any 4-neighbour (SPEC §18), else 0."""
    edge = np.zeros(instances.shape, bool)
    vertical = instances[1:] != instances[:-1]
    horizontal = instances[:, 1:] != instances[:, :-1]
    edge[1:] |= vertical
    edge[:-1] |= vertical
    edge[:, 1:] |= horizontal
    edge[:, :-1] |= horizontal
    return edge.astype(np.uint8) * 255


def read_side_by_side(path: Path, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A pix2pix file → (A, B) as uint8 RGB size×size; DataError unless width == 2 × height."""
    img = _to_mode(open_image(path), 3)
    w, h = img.size
    if w != 2 * h:
        raise DataError(f"{path.name} is {w}×{h}, not a side-by-side A|B pair.",
                        "Each file must hold A on the left and B on the right: width = 2 × height.")
    halves = (img.crop((0, 0, h, h)), img.crop((h, 0, w, h)))
    return tuple(np.asarray(center_crop_resize(half, size), np.uint8) for half in halves)


def read_label_pair(pair: LabelPair, size: int, palette: Palette | None) -> tuple[np.ndarray, np.ndarray]:
    """(input (S, S, 1 or 2), target (S, S, 3)); DataError for mismatched sizes, ids > 255 or outside the palette."""
    ids = read_ids(pair.label, palette)
    image_size = header_size(pair.image)
    if image_size is None:
        raise DataError(f"{pair.image.name} is not a readable image.", "Remove or replace the file.")
    if (ids.shape[1], ids.shape[0]) != image_size:
        raise DataError(f"{pair.label.name} is {ids.shape[1]}×{ids.shape[0]} but {pair.image.name} is "
                        f"{image_size[0]}×{image_size[1]}.", "A label map must have its image's size.")
    unknown = palette.unknown_ids(ids) if palette else [int(v) for v in np.unique(ids) if not 0 <= v <= 255]
    if unknown:
        where = f"the palette ({len(palette)} classes)" if palette else "0–255"
        raise DataError(f"{pair.label.name} has class ids outside {where}: {_id_list(unknown)}.",
                        "Add the classes to palette.json, or fix the label map.")
    channels = [square_nearest(ids, size)]
    if pair.instance is not None:
        instances = read_ids(pair.instance)
        if instances.shape != ids.shape:
            raise DataError(f"{pair.instance.name} is not the size of {pair.label.name}.", "Fix the instance map.")
        channels.append(instance_boundaries(square_nearest(instances, size)))
    return np.stack(channels, -1).astype(np.uint8), load_image(pair.image, size, 3)


def _id_list(ids: list[int], limit: int = 8) -> str:
    text = ", ".join(str(i) for i in ids[:limit])
    return text + (f" … ({len(ids)} in all)" if len(ids) > limit else "")


# ---- loading --------------------------------------------------------------------------------------------------------
def load_paired(path: str | Path, split: str = "train", size: int = 128, direction: str = "AtoB",
                names_filter: Callable[[str], bool] | None = None) -> PairedData:
    """Every usable pair of one split at size×size; unusable files are listed in `skipped`, none usable → DataError."""
    layout = require_paired(path)
    if direction not in ("AtoB", "BtoA"):
        raise DataError(f"Unknown direction {direction!r}.", "Use AtoB or BtoA.")
    keep = names_filter or (lambda name: True)
    if layout.kind == "pix2pix":
        return _load_side_by_side(split_folder(layout, split), size, direction == "BtoA", keep)
    if split not in layout.splits:
        split_folder(layout, split)  # raises the "no such split" error
    return _load_labels(layout.root, split, size, keep)


def _load_side_by_side(folder: Path, size: int, swap: bool, keep: Callable[[str], bool]) -> PairedData:
    inputs, targets, names, skipped = [], [], [], []
    for f in (f for f in image_files(folder) if keep(f.name)):
        try:
            a, b = read_side_by_side(f, size)
        except DataError as err:
            skipped.append(f"{f.name}: {err.problem}")
            continue
        inputs.append(b if swap else a)
        targets.append(a if swap else b)
        names.append(f.name)
    _require_some(inputs, folder, skipped)
    stacked, notes = np.stack(inputs), []
    grey = all(_is_grey(x) for x in stacked)
    if grey:
        stacked = np.round(stacked.mean(-1, keepdims=True)).astype(np.uint8)
        notes.append(f"The {'B' if swap else 'A'} images are greyscale: loaded as 1-channel edge maps.")
    data = PairedData(stacked, np.stack(targets), names, "edges" if grey else "image", skipped, notes)
    _note_skipped(data)
    return data


def _load_labels(root: Path, split: str, size: int, keep: Callable[[str], bool]) -> PairedData:
    palette = read_palette(root)
    pairs, unpaired = label_pairs(root, split)
    inputs, targets, names, skipped = [], [], [], list(unpaired)
    for pair in (p for p in pairs if keep(p.key)):
        try:
            x, y = read_label_pair(pair, size, palette)
        except DataError as err:
            skipped.append(f"{pair.key}: {err.problem}")
            continue
        inputs.append(x)
        targets.append(y)
        names.append(pair.key)
    _require_some(inputs, root / f"{split}_label", skipped)
    stacked, notes = np.stack(inputs), []
    if palette is None:
        palette = generic_palette(int(stacked[..., 0].max()) + 1)
        notes.append(f"No palette.json in {root}: using a generic palette of {len(palette)} classes.")
    if stacked.shape[-1] == 2:
        notes.append("Instance maps found: the second input channel holds instance boundaries.")
    data = PairedData(stacked, np.stack(targets), names, "labels", skipped, notes, len(palette), palette)
    _note_skipped(data)
    return data


def _is_grey(image: np.ndarray) -> bool:
    """R ≈ G ≈ B apart from JPEG chroma noise: the 2 px border is ignored, and a few stray pixels are allowed."""
    inner = image[2:-2, 2:-2].astype(np.int16)
    spread = np.abs(inner - inner[..., :1]).max(-1)
    return float((spread > GREY_TOLERANCE).mean()) <= GREY_OUTLIERS


def _require_some(items: list, folder: Path, skipped: list[str]) -> None:
    if not items:
        reason = f" ({len(skipped)} skipped, e.g. {skipped[0]})" if skipped else ""
        raise DataError(f"No usable pairs in {folder}{reason}.",
                        "Run `ganstudio check-data` on the folder to see every problem.")


def _note_skipped(data: PairedData) -> None:
    if data.skipped:
        data.notes.append(f"Skipped {len(data.skipped)} unusable files or pairs (e.g. {data.skipped[0]}).")

"""Where the files of a paired data set are: the pix2pix / pix2pixHD folder layouts, and which files make a pair."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import is_image_name
from ganstudio.core.sketch.palette import Palette

SPLITS = ("train", "val", "test")
READ_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError)
# Name endings that differ between the label, image and instance file of one pair (Cityscapes, pix2pixHD, generic).
PAIR_SUFFIXES = ("_gtFine_labelIds", "_gtFine_instanceIds", "_leftImg8bit", "_labelIds", "_instanceIds", "_labels",
                 "_label", "_image", "_img", "_instance", "_inst")


@dataclass(frozen=True)
class PairedLayout:
    kind: str  # "pix2pix" | "pix2pixhd"
    root: Path
    splits: tuple[str, ...]  # ("",) for a folder that directly holds A|B images


@dataclass(frozen=True)
class LabelPair:
    key: str
    label: Path
    image: Path
    instance: Path | None = None


def detect_paired(path: str | Path) -> PairedLayout | None:
    """The paired layout of a folder, or None when it is not one (e.g. a plain photo folder)."""
    root = Path(path).expanduser()
    if not root.is_dir():
        return None
    hd = tuple(s for s in SPLITS if (root / f"{s}_label").is_dir() and (root / f"{s}_img").is_dir())
    if hd:
        return PairedLayout("pix2pixhd", root, hd)
    # A named split needs one A|B image among the first few (the check then lists the odd ones); a bare folder
    # needs a majority, so that a photo folder holding the odd panorama is not taken for a paired set.
    ab = tuple(s for s in SPLITS if _side_by_side_share(root / s) > 0)
    if ab:
        return PairedLayout("pix2pix", root, ab)
    return PairedLayout("pix2pix", root, ("",)) if _side_by_side_share(root) > 0.5 else None


def require_paired(path: str | Path) -> PairedLayout:
    """detect_paired, or a DataError saying which layouts are understood."""
    layout = detect_paired(path)
    if layout is None:
        raise DataError(f"{path} is not a paired data set.", "Use pix2pix folders (train/ val/ test/ of A|B images) "
                        "or pix2pixHD folders (train_label/ train_img/ [train_inst/]).")
    return layout


def _side_by_side_share(folder: Path, sample: int = 5) -> float:
    """The share of the first few images that are twice as wide as high (headers only, so this is quick)."""
    sizes = [size for f in image_files(folder)[:sample] if (size := header_size(f))]
    return sum(w == 2 * h for w, h in sizes) / len(sizes) if sizes else 0.0


def header_size(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as img:
            return img.size
    except READ_ERRORS:
        return None


def image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and is_image_name(p)) if folder.is_dir() else []


def split_folder(layout: PairedLayout, split: str) -> Path:
    """The folder holding a pix2pix split; a flat A|B folder serves as its "train" split."""
    if layout.splits == ("",) and split in ("", "train"):
        return layout.root
    if split not in layout.splits:
        raise DataError(f"{layout.root} has no '{split}' split (it has: {', '.join(layout.splits) or 'none'}).",
                        "Pick a split the data set has, or add the folder.")
    return layout.root / split


def pair_key(stem: str) -> str:
    for suffix in PAIR_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            return stem[: -len(suffix)]
    return stem


def label_pairs(root: Path, split: str) -> tuple[list[LabelPair], list[str]]:
    """Label/image(/instance) files matched by name, and a message for every file without its partner."""
    folders = {part: root / f"{split}_{part}" for part in ("label", "img", "inst")}
    files = {part: {pair_key(p.stem): p for p in image_files(folder)} for part, folder in folders.items()}
    labels, images, instances = files["label"], files["img"], files["inst"]
    has_inst = folders["inst"].is_dir()
    pairs, unpaired = [], []
    for key in sorted(labels.keys() | images.keys()):
        label, image, inst = labels.get(key), images.get(key), instances.get(key)
        if label is None:
            unpaired.append(f"{split}_img/{image.name} has no label map in {split}_label/")
        elif image is None:
            unpaired.append(f"{split}_label/{label.name} has no image in {split}_img/")
        elif has_inst and inst is None:
            unpaired.append(f"{split}_label/{label.name} has no instance map in {split}_inst/")
        else:
            pairs.append(LabelPair(key, label, image, inst))
    unpaired += [f"{split}_inst/{p.name} has no label map in {split}_label/" for k, p in instances.items()
                 if k not in labels]
    return pairs, unpaired


def read_palette(root: Path) -> Palette | None:
    """root/palette.json (Palette.to_dict() format) or None; DataError when it exists but is malformed."""
    path = root / "palette.json"
    return read_palette_file(path) if path.is_file() else None


def read_palette_file(path: str | Path) -> Palette:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise DataError(f"{path} is not readable JSON ({err}).", "Fix or delete the palette file.") from err
    return Palette.from_dict(data if isinstance(data, dict) else {})


def open_image(path: Path, fast: bool = False) -> Image.Image:
    """A fully decoded image (truncated files fail here); `fast` decodes JPEGs at 1/8 scale (enough for checks)."""
    try:
        with Image.open(path) as img:
            if fast:
                img.draft(img.mode, (max(1, img.width // 8), max(1, img.height // 8)))
            img.load()
            return img
    except READ_ERRORS as err:
        raise DataError(f"{path.name} is not a readable image ({err}).", "Remove or replace the file.") from err


def readable_size(path: Path) -> tuple[int, int]:
    """The full (width, height) of an image that decodes completely; JPEGs are decoded at 1/8 scale (quick)."""
    size = header_size(path)
    open_image(path, fast=True)  # raises DataError for unreadable or truncated files
    return size or (0, 0)


def read_ids(path: Path, palette: Palette | None = None) -> np.ndarray:
    """A label or instance map as integer ids (H, W): 8/16/32-bit grey or palette-index PNGs, grey RGB, or an RGB
    map whose colours are all palette colours."""
    img = open_image(path)
    if img.mode in ("RGB", "RGBA", "LA"):
        rgb = np.asarray(img.convert("RGB"))
        if (rgb == rgb[..., :1]).all():
            return rgb[..., 0].astype(np.int64)
        return _ids_from_colors(rgb, palette, path)
    return np.asarray(img).astype(np.int64)  # "P" gives the palette indices, which are the class ids


def _ids_from_colors(rgb: np.ndarray, palette: Palette | None, path: Path) -> np.ndarray:
    packed = (rgb[..., 0].astype(np.int64) << 16) | (rgb[..., 1].astype(np.int64) << 8) | rgb[..., 2]
    lookup = {} if palette is None else {(r << 16) | (g << 8) | b: i for i, (r, g, b) in enumerate(palette.colors)}
    values, inverse = np.unique(packed, return_inverse=True)
    missing = [int(v) for v in values if int(v) not in lookup]
    if missing:
        raise DataError(f"{path.name} is a colour image whose colours are not palette colours ({len(missing)} "
                        "unknown).", "Save label maps as greyscale PNGs of class ids (0, 1, 2, …).")
    return np.asarray([lookup[int(v)] for v in values])[inverse].reshape(packed.shape)

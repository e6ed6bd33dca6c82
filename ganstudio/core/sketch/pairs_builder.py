"""Derive paired training data from a folder of photos, in the canonical layouts the paired readers load.

edges  → pix2pix side-by-side A|B files (A = edge sketch, B = photo) in train/ and val/;
labels → pix2pixHD folders train_label/ (PNG class ids) + train_img/, val_*, and palette.json naming the classes.
The val split is a hash of each photo's relative path (core/image_data/splits.py), so every model holds out the same photos.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.atomic import write_bytes_atomic, write_text_atomic
from ganstudio.core.errors import DataError, check_cancelled
from ganstudio.core.image_data.images import is_image_name, load_image
from ganstudio.core.sketch.edges import edges_from_photo
from ganstudio.core.sketch.labels import labels_from_photo
from ganstudio.core.sketch.palette import FLOWER_MATERIALS
from ganstudio.core.image_data.splits import is_held_out

KINDS = ("edges", "labels")


@dataclass
class BuildReport:
    train: int = 0
    val: int = 0
    skipped: list[str] | None = None


def photo_files(folder: Path) -> list[Path]:
    if not Path(folder).is_dir():
        raise DataError(f"{folder} is not a folder.", "Choose the folder that holds the photos.")
    files = sorted(p for p in Path(folder).rglob("*") if p.is_file() and is_image_name(p))
    if not files:
        raise DataError(f"No photos found in {folder}.", "Pass a folder that holds JPEG or PNG photos (subfolders are fine).")
    return files


def _png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def _flat_name(rel: Path) -> str:
    return "_".join(rel.with_suffix("").parts)  # daisy/123.jpg → daisy_123 (unique, keeps the class visible)


def _write_edges(out: Path, split: str, name: str, photo: np.ndarray) -> None:
    sketch = np.repeat(edges_from_photo(photo)[..., None], 3, -1)
    write_bytes_atomic(out / split / f"{name}.png", _png(np.concatenate([sketch, photo], axis=1)))


def _write_labels(out: Path, split: str, name: str, photo: np.ndarray) -> None:
    write_bytes_atomic(out / f"{split}_label" / f"{name}.png", _png(labels_from_photo(photo, FLOWER_MATERIALS)))
    write_bytes_atomic(out / f"{split}_img" / f"{name}.png", _png(photo))


def build_pairs(photos: Path, out: Path, kind: str, size: int = 128, holdout: float = 0.1,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> BuildReport:
    """Write the derived pairs; photos are centre-cropped to size×size first. Unreadable photos are listed, not fatal.

    `progress(done, total)` follows the photos; `cancelled()` is asked before each one and raises core.errors.Cancelled
    (what was written stays: the Train page builds into a temp folder it removes)."""
    if kind not in KINDS:
        raise DataError(f"Unknown pair kind {kind!r}.", f"Use one of: {', '.join(KINDS)}.")
    if Path(out).resolve().is_relative_to(Path(photos).resolve()):
        raise DataError(f"The output folder {out} is inside the photo folder {photos}.",
                        "Write the pairs elsewhere, or a second run would take them for photos.")
    files = photo_files(photos)
    write = _write_edges if kind == "edges" else _write_labels
    report = BuildReport(skipped=[])
    if kind == "labels":
        write_text_atomic(out / "palette.json", json.dumps(FLOWER_MATERIALS.to_dict(), indent=2))
    used: set[str] = set()
    for i, (rel, photo) in enumerate(_photos(photos, files, size, report.skipped)):
        check_cancelled(cancelled)
        split = "val" if is_held_out(rel.as_posix(), holdout) else "train"
        write(out, split, _unique(_flat_name(rel), used), photo)
        setattr(report, split, getattr(report, split) + 1)
        if progress:
            progress(i + 1, len(files))
    if progress:
        progress(len(files), len(files))  # skipped files count as done too
    return report


def _unique(name: str, used: set[str]) -> str:
    """daisy/1.jpg and daisy/1.png would both be daisy_1: later ones get -2, -3 (files are visited in sorted order)."""
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}-{n}"
    used.add(candidate)
    return candidate


def _photos(root: Path, files: list[Path], size: int, skipped: list[str]) -> Iterator[tuple[Path, np.ndarray]]:
    for path in files:
        try:
            yield path.relative_to(root), load_image(path, size, 3)
        except DataError as err:
            skipped.append(f"{path.name}: {err.problem}")

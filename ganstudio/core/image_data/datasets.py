"""Data set discovery and loading into memory: image folders (class subfolders = labels), IDX folders, built-ins.

Everything becomes uint8 (N, S, S, C) plus optional int labels, so training order can be a pure function of
(seed, step) and resume is exact.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.training.batches import BatchSchedule
from ganstudio.core.errors import DataError
from ganstudio.core.image_data.idx import find_idx_pairs, read_idx
from ganstudio.core.image_data.images import center_crop_resize, is_image_name, load_image
from ganstudio.paths import resources_dir

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_CLASSES = ("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot")


@dataclass(frozen=True)
class DatasetSpec:
    """A data set the user can pick: what kind of folder it is, where, and a display name."""

    kind: str  # "images" | "idx"
    path: str
    name: str
    builtin: bool = False


@dataclass
class LoadedData:
    images: np.ndarray  # uint8 (N, S, S, C)
    labels: np.ndarray | None  # int32 (N,) or None
    class_names: tuple[str, ...]
    skipped: list[str] = field(default_factory=list)  # "file: reason" for every unreadable file
    names: list[str] = field(default_factory=list)  # stable item names (relative paths / IDX indices), for splits
    validation: np.ndarray | None = None  # held-out items in the same layout, for previews (paired data sets)
    schedule: BatchSchedule | None = None  # the training order, once with_batches() has set it

    @property
    def channels(self) -> int:
        return int(self.images.shape[-1])

    def __len__(self) -> int:
        return len(self.images)

    # ---- the TrainingData protocol (core/training/data.py) ---------------------------------------------------------
    def with_batches(self, batch_size: int, seed: int, flip: bool = False) -> LoadedData:
        """This data set with its training order: the batch of step s is a function of (seed, s)."""
        return dataclasses.replace(self, schedule=BatchSchedule(len(self.images), batch_size, seed, flip))

    def batches(self, start: int, stop: int):
        if self.schedule is None:
            raise RuntimeError("with_batches() sets the batch order before training")
        return self.schedule.batches(self.images, self.labels, start, stop)

    def preview_pool(self) -> np.ndarray:
        return self.validation if self.validation is not None and len(self.validation) else self.images


def builtin_datasets() -> list[DatasetSpec]:
    """Data sets that ship with the app (always present), then system ones that exist on this machine."""
    data = resources_dir() / "data"
    specs = [
        DatasetSpec("images", str(data / "flowers64"), "Flowers 64×64 (built-in, 5 classes)", True),
        DatasetSpec("idx", str(data / "mnist"), "MNIST test digits (built-in)", True),
    ]
    if FASHION_MNIST_DIR.is_dir():
        specs.append(DatasetSpec("idx", str(FASHION_MNIST_DIR), "Fashion-MNIST (system)", True))
    return specs


def detect(path: str | Path) -> DatasetSpec:
    """Work out what kind of data set a folder holds; DataError with a hint if it is neither kind."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder.", "Pick a folder of images, of class subfolders, or of IDX files.")
    if find_idx_pairs(folder):
        return DatasetSpec("idx", str(folder), folder.name)
    if any(is_image_name(p) for p in folder.rglob("*")):
        return DatasetSpec("images", str(folder), folder.name)
    raise DataError(f"{folder} holds no images and no IDX files.",
                    "Use a folder of .jpg/.png images (class subfolders become labels) or MNIST-style IDX files.")


def _image_files(folder: Path) -> tuple[list[Path], list[int], tuple[str, ...]]:
    subdirs = sorted(d for d in folder.iterdir() if d.is_dir() and not d.name.startswith("."))
    classed = [(d, sorted(p for p in d.rglob("*") if is_image_name(p))) for d in subdirs]
    classed = [(d, files) for d, files in classed if files]
    loose = sorted(p for p in folder.iterdir() if p.is_file() and is_image_name(p))
    if classed and not loose:
        names = tuple(d.name for d, _ in classed)
        files = [f for _, fs in classed for f in fs]
        labels = [i for i, (_, fs) in enumerate(classed) for _ in fs]
        return files, labels, names
    files = sorted(p for p in folder.rglob("*") if is_image_name(p))
    return files, [], ()


def load_image_folder(folder: Path, size: int, channels: int = 3) -> LoadedData:
    files, labels, names = _image_files(folder)
    images, kept, skipped = [], [], []
    for i, f in enumerate(files):
        try:
            images.append(load_image(f, size, channels))
            kept.append(i)
        except DataError as err:
            skipped.append(f"{f.relative_to(folder)}: {err.problem}")
    if not images:
        reason = f" ({len(skipped)} unreadable files, e.g. {skipped[0]})" if skipped else ""
        raise DataError(f"No readable images in {folder}{reason}.", "Pick a folder that contains .jpg or .png images.")
    label_arr = np.asarray([labels[i] for i in kept], dtype=np.int32) if labels else None
    item_names = [files[i].relative_to(folder).as_posix() for i in kept]
    return LoadedData(np.stack(images), label_arr, names, skipped, item_names)


def _resize_gray_batch(images: np.ndarray, size: int) -> np.ndarray:
    h = images.shape[1]
    if h == size:
        return images
    if size > h and (size - h) % 2 == 0:
        # MNIST 28 → 32: pad with background instead of interpolating, as in LeNet-5.
        pad = (size - h) // 2
        return np.pad(images, ((0, 0), (pad, pad), (pad, pad)))
    return np.stack([np.asarray(center_crop_resize(Image.fromarray(im), size)) for im in images])


def load_idx_folder(folder: Path, size: int) -> LoadedData:
    pairs = find_idx_pairs(folder)
    if not pairs:
        raise DataError(f"No IDX image files (*idx3*) in {folder}.", "Pick a folder with MNIST-style IDX files.")
    images, labels = [], []
    for image_file, label_file in pairs:
        arr = read_idx(image_file)
        if arr.ndim != 3 or arr.dtype != np.uint8:
            raise DataError(f"{image_file.name} holds {arr.dtype} data of shape {arr.shape}, not 8-bit images.",
                            "Use an idx3-ubyte image file.")
        images.append(arr)
        lab = read_idx(label_file) if label_file else None
        if lab is not None and len(lab) != len(arr):
            raise DataError(f"{label_file.name} has {len(lab)} labels for {len(arr)} images.", "Use the matching label file.")
        labels.append(lab)
    stacked = _resize_gray_batch(np.concatenate(images), size)[..., None]
    has_labels = all(lab is not None for lab in labels)
    label_arr = np.concatenate(labels).astype(np.int32) if has_labels else None
    names = _idx_class_names(folder, label_arr)
    return LoadedData(stacked, label_arr, names, names=[str(i) for i in range(len(stacked))])


def _idx_class_names(folder: Path, labels: np.ndarray | None) -> tuple[str, ...]:
    if labels is None:
        return ()
    n = int(labels.max()) + 1
    if "fashion" in str(folder).lower() and n == len(FASHION_CLASSES):
        return FASHION_CLASSES
    return tuple(str(i) for i in range(n))


def subset(data: LoadedData, mask: np.ndarray) -> LoadedData:
    """The items where mask is True."""
    labels = data.labels[mask] if data.labels is not None else None
    names = [n for n, keep in zip(data.names, mask) if keep]
    return LoadedData(data.images[mask], labels, data.class_names, data.skipped, names)


def load(spec: DatasetSpec, size: int, channels: int | None = None) -> LoadedData:
    """Load a data set into memory at size×size. Channels default to 1 for IDX data and 3 for image folders."""
    folder = Path(spec.path)
    if not folder.is_dir():
        raise DataError(f"The data set folder {folder} does not exist.", "Pick another data set or restore the folder.")
    if spec.kind == "idx":
        data = load_idx_folder(folder, size)
        if channels == 3:
            data.images = np.repeat(data.images, 3, axis=-1)
        return data
    return load_image_folder(folder, size, channels or 3)

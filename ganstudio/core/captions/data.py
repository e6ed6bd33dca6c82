"""Captioned image data sets: the Oxford-102 / CUB layout of Reed et al. and image folders with .txt sidecars.

oxford:  jpg/ or images/ (CUB: class subfolders) + text_c10/<class>/<image stem>.txt, one caption per line.
sidecar: any folder of images (class subfolders allowed) with a same-named .txt beside each image.
Bad files are left out and listed in `skipped` with the reason; only a data set with no usable pair is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import is_image_name, load_image

CAPTION_SUFFIX = ".txt"
# Text files that document a folder rather than caption an image (CREDITS.txt beside the built-in flowers).
DOCUMENT_STEMS = {"readme", "credits", "license", "licence", "copying", "authors", "notes"}
LAYOUT_HINT = ("Put a same-named .txt (one caption per line) beside each image — `ganstudio make-captions FOLDER` "
               "writes them for flower photos — or use the Oxford-102 / CUB layout: jpg/ or images/ plus "
               "text_c10/<class>/<image name>.txt.")


@dataclass
class CaptionedData:
    images: np.ndarray  # uint8 (N, S, S, 3)
    captions: list[list[str]]  # per image, one or more captions (non-empty strings)
    names: list[str]  # each image's path relative to the data set folder
    labels: np.ndarray  # int64 (N,) class ids, -1 where no class is known
    class_names: tuple[str, ...]
    skipped: list[str] = field(default_factory=list)  # "file: reason" for every image or caption file left out

    def __len__(self) -> int:
        return len(self.images)


def detect_captioned(path: str | Path) -> str | None:
    """"oxford", "sidecar", or None when the folder holds no captioned images."""
    root = Path(path).expanduser()
    if not root.is_dir():
        return None
    if (root / "text_c10").is_dir() and ((root / "jpg").is_dir() or (root / "images").is_dir()):
        return "oxford"
    if any(is_image_name(p) and p.with_suffix(CAPTION_SUFFIX).is_file() for p in root.rglob("*") if p.is_file()):
        return "sidecar"
    return None


def load_captioned(path: str | Path, image_size: int) -> CaptionedData:
    """Load every (image, captions) pair at image_size × image_size; DataError if there is no usable pair."""
    root = Path(path).expanduser()
    if not root.is_dir():
        raise DataError(f"{root} is not a folder.", LAYOUT_HINT)
    layout = detect_captioned(root)
    if layout is None:
        raise DataError(f"{root} holds no captioned images.", LAYOUT_HINT)
    pairs, class_names, skipped = (_oxford_pairs if layout == "oxford" else _sidecar_pairs)(root)
    return _load_pairs(root, pairs, class_names, skipped, image_size)


def read_captions(path: Path) -> list[str]:
    """The non-empty lines of a caption file; DataError saying why when there are none or it is not UTF-8 text."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"not UTF-8 text (byte {err.start})", "Re-save the caption file as UTF-8.") from err
    except OSError as err:
        raise DataError(f"unreadable ({err.strerror or err})", "Check the file's permissions.") from err
    lines = [" ".join(line.split()) for line in text.splitlines()]
    captions = [line for line in lines if line]
    if not captions:
        raise DataError("empty caption file", "Write one caption per line.")
    return captions


# ---- layouts: (image, caption file, class id) triples ---------------------------------------------------------------
Pair = tuple[Path, Path, int]


def _oxford_pairs(root: Path) -> tuple[list[Pair], tuple[str, ...], list[str]]:
    image_dir = root / "jpg" if (root / "jpg").is_dir() else root / "images"
    skipped: list[str] = []
    images: dict[str, Path] = {}
    for p in sorted(q for q in image_dir.rglob("*") if q.is_file() and is_image_name(q)):
        if p.stem in images:
            skipped.append(f"{_rel(p, root)}: another image is also named {p.stem} (captions match by name)")
        else:
            images[p.stem] = p
    text_root = root / "text_c10"
    classes = sorted(d for d in text_root.iterdir() if d.is_dir() and not d.name.startswith("."))
    texts: dict[str, tuple[Path, int]] = {}
    for label, folder in enumerate(classes):
        for t in sorted(folder.glob(f"*{CAPTION_SUFFIX}")):
            if t.stem in texts:
                skipped.append(f"{_rel(t, root)}: a caption file for {t.stem} is also in {texts[t.stem][0].parent.name}/")
            else:
                texts[t.stem] = (t, label)
    pairs = [(images[stem], t, label) for stem, (t, label) in sorted(texts.items()) if stem in images]
    skipped += [f"{_rel(t, root)}: no image named {stem} in {image_dir.name}/"
                for stem, (t, _) in sorted(texts.items()) if stem not in images]
    skipped += [f"{_rel(p, root)}: no caption file text_c10/<class>/{stem}{CAPTION_SUFFIX}"
                for stem, p in sorted(images.items()) if stem not in texts]
    return pairs, tuple(d.name for d in classes), skipped


def _sidecar_pairs(root: Path) -> tuple[list[Pair], tuple[str, ...], list[str]]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p, root))
    images = [p for p in files if is_image_name(p)]
    subdirs = sorted({p.relative_to(root).parts[0] for p in images if len(p.relative_to(root).parts) > 1})
    loose = [p for p in images if p.parent == root]
    class_names = tuple(subdirs) if subdirs and not loose else ()  # class subfolders, as image data sets read them
    ids = {name: i for i, name in enumerate(class_names)}
    pairs, skipped = [], []
    for p in images:
        label = ids.get(p.relative_to(root).parts[0], -1) if class_names else -1
        text = p.with_suffix(CAPTION_SUFFIX)
        if text.is_file():
            pairs.append((p, text, label))
        else:
            skipped.append(f"{_rel(p, root)}: no caption file {text.name} beside it")
    stems = {p.with_suffix("") for p in images}
    skipped += [f"{_rel(t, root)}: no image of the same name beside it" for t in files
                if t.suffix.lower() == CAPTION_SUFFIX and t.with_suffix("") not in stems
                and t.stem.lower() not in DOCUMENT_STEMS]
    return pairs, class_names, skipped


def _load_pairs(root: Path, pairs: list[Pair], class_names: tuple[str, ...], skipped: list[str],
                size: int) -> CaptionedData:
    images, captions, names, labels = [], [], [], []
    for image, text, label in pairs:
        try:
            lines = read_captions(text)
        except DataError as err:
            skipped.append(f"{_rel(text, root)}: {err.problem} — its image {image.name} is left out")
            continue
        try:
            images.append(load_image(image, size, 3))
        except DataError as err:
            skipped.append(f"{_rel(image, root)}: {err.problem}")
            continue
        captions.append(lines)
        names.append(_rel(image, root))
        labels.append(label)
    if not images:
        example = f" ({len(skipped)} files left out, e.g. {skipped[0]})" if skipped else ""
        raise DataError(f"No image in {root} has a usable caption file{example}.", LAYOUT_HINT)
    return CaptionedData(np.stack(images), captions, names, np.asarray(labels, np.int64), class_names, skipped)


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _hidden(path: Path, root: Path) -> bool:
    """Dot files and anything in a dot folder (e.g. a writer's .tmp leftovers) are not data."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)

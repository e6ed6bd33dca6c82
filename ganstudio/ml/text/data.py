"""Captioned photos for the joint embedding: the three-way split (training / checkpoint selection / held out) and
training batches of (one random caption, its photo)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.errors import DataError
from ganstudio.core.image_data.splits import split_mask
from ganstudio.core.text.noise import corrupt_ids
from ganstudio.core.text.tokenizers import Tokenizer


@dataclass
class CaptionedPhotos:
    """Photos with their captions: the fields of core.captions' CaptionedData this package uses."""

    images: np.ndarray  # uint8 (N, S, S, 3)
    captions: list[list[str]]  # per photo, one or more
    names: list[str]  # path relative to the data set folder: the hold-out hash's key
    labels: np.ndarray | None = None  # int (N,), -1 unknown
    class_names: tuple[str, ...] = ()

    def subset(self, mask: np.ndarray) -> CaptionedPhotos:
        keep = np.flatnonzero(mask)
        return CaptionedPhotos(self.images[keep], [self.captions[i] for i in keep], [self.names[i] for i in keep],
                               None if self.labels is None else self.labels[keep], self.class_names)

    def class_of(self, i: int) -> str | None:
        """The class name of photo i, or None when unknown."""
        label = -1 if self.labels is None else int(self.labels[i])
        return self.class_names[label] if 0 <= label < len(self.class_names) else None

    def __len__(self) -> int:
        return len(self.images)


def split_three(data, holdout: float = 0.1, select: float = 0.08) -> tuple[CaptionedPhotos, ...]:
    """(training, selection, held-out) photos. Held out: the file-name hash's `holdout` share, the same photos every
    other model of these photos leaves out; selection: the next `select` share of hash values (training-side photos
    kept out of training to choose the checkpoint on, so held-out photos choose nothing)."""
    photos = CaptionedPhotos(data.images, data.captions, data.names, getattr(data, "labels", None),
                             tuple(getattr(data, "class_names", ())))
    held_out = split_mask(photos.names, holdout)
    selection = split_mask(photos.names, holdout + select) & ~held_out
    parts = photos.subset(~held_out & ~selection), photos.subset(selection), photos.subset(held_out)
    if min(len(p) for p in parts) < 2:
        raise DataError(f"{len(photos)} captioned photos are too few to split into training, selection and held-out "
                        "photos.", "Use a data set with a few hundred captioned photos.")
    return parts


@dataclass
class CaptionTable:
    """Every caption of some photos, tokenised once: ids (M, L) and the photo each belongs to."""

    ids: np.ndarray
    owners: np.ndarray  # int (M,)
    starts: np.ndarray  # int (N,): each photo's first row
    counts: np.ndarray  # int (N,)

    @classmethod
    def build(cls, captions: list[list[str]], tokenizer: Tokenizer) -> CaptionTable:
        counts = np.array([len(c) for c in captions])
        if counts.min(initial=1) < 1:
            raise DataError("A photo has no caption.", "Give every photo at least one caption.")
        owners = np.repeat(np.arange(len(captions)), counts)
        ids = tokenizer.encode_batch([c for caps in captions for c in caps])
        return cls(ids, owners, np.cumsum(counts) - counts, counts)


class PairBatches:
    """Batches of distinct photos, each with one of its captions at random: images augmented (flips, shifts),
    caption ids corrupted (words masked as UNK, swapped neighbours). A function of the seed: the same run draws the same batches."""

    def __init__(self, photos: CaptionedPhotos, tokenizer: Tokenizer, batch_size: int, seed: int,
                 unk_rate: float = 0.0, swap_rate: float = 0.0) -> None:
        from ganstudio.ml.evaluation.classifier import ClassifierConfig

        self.images, self.table = photos.images, CaptionTable.build(photos.captions, tokenizer)
        self.separator = tokenizer.separator
        self.batch_size = min(batch_size, len(photos))
        self.rng = np.random.default_rng(seed)
        self.unk_rate, self.swap_rate = unk_rate, swap_rate
        self.augmentation = ClassifierConfig(max_shift=4)  # flips and ±4 px: a flower is itself either way

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids int32 (B, L), images float32 (B, S, S, 3) in 0–255)."""
        from ganstudio.ml.evaluation.classifier import augment

        rng, table = self.rng, self.table
        photos = rng.choice(len(self.images), self.batch_size, replace=False)
        rows = table.starts[photos] + rng.integers(0, table.counts[photos])
        ids = corrupt_ids(table.ids[rows], rng, self.unk_rate, self.swap_rate, self.separator)
        return ids, augment(self.images[photos], rng, self.augmentation)

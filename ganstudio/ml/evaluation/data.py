"""The train / held-out split every evaluation uses: the same file-name hash the trainer uses (core/image_data/splits.py),
so "held-out" photos are ones the generator and the classifier never saw."""

from __future__ import annotations

from ganstudio.core.image_data import datasets
from ganstudio.core.errors import DataError
from ganstudio.core.image_data.splits import split_mask


def split(data: datasets.LoadedData, holdout: float) -> tuple[datasets.LoadedData, datasets.LoadedData]:
    """(training part, held-out part) of a loaded data set; DataError when nothing would be held out."""
    if not 0 < holdout < 1:
        raise DataError(f"The hold-out fraction must be between 0 and 1, got {holdout}.",
                        "Pass the fraction the model was trained with, e.g. --holdout 0.1.")
    mask = split_mask(data.names, holdout)
    if mask.sum() < 2 or (~mask).sum() < 2:
        raise DataError(f"Holding out {holdout:g} of {len(mask)} images leaves {int(mask.sum())} held out.",
                        "Use a larger data set or another hold-out fraction.")
    return datasets.subset(data, ~mask), datasets.subset(data, mask)


def load_split(data_name: str, holdout: float, image_size: int, channels: int | None = 3):
    """Load a data set (built-in alias or folder) at image_size and split it: (spec, train, held-out). channels
    None keeps the data's own (1 for IDX digits)."""
    from ganstudio.ml.training.prepare import resolve_dataset

    spec = resolve_dataset(data_name)
    train, heldout = split(datasets.load(spec, image_size, channels), holdout)
    return spec, train, heldout

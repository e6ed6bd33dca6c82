"""Paired data (pix2pix A|B folders, pix2pixHD label folders) → a stacked LoadedData and a TrainConfig.

Each item is stored as uint8 [photo RGB | raw condition channels] (see ml/networks/translation_inputs.py). Imports no TensorFlow.
"""

from __future__ import annotations

import numpy as np

from ganstudio.core.image_data.datasets import DatasetSpec, LoadedData
from ganstudio.core.errors import DataError
from ganstudio.core.paired import PairedData, load_paired
from ganstudio.core.paired.layout import require_paired
from ganstudio.core.image_data.splits import is_held_out
from ganstudio.ml.training.config import TrainConfig


def _stack(data: PairedData) -> np.ndarray:
    return np.concatenate([data.targets, data.inputs], axis=-1)


def _validation(spec: DatasetSpec, config: TrainConfig) -> PairedData | None:
    """The layout's val split when it has one; else the hash hold-out of the train split."""
    layout = require_paired(spec.path)
    try:
        if "val" in layout.splits:
            return load_paired(spec.path, "val", config.image_size, config.direction)
        if config.holdout > 0:
            return load_paired(spec.path, layout.splits[0], config.image_size, config.direction,
                               names_filter=lambda name: is_held_out(name, config.holdout))
    except DataError:
        return None  # previews fall back to training pairs; training itself does not need a val split
    return None


def prepare_paired(recipe, spec: DatasetSpec, overrides: dict, resume_config: TrainConfig | None = None):
    """(LoadedData, TrainConfig) for a paired recipe; the stored config wins on resume."""
    config = resume_config or recipe.config(**overrides)
    layout = require_paired(spec.path)
    keep = None if "val" in layout.splits or config.holdout <= 0 else (lambda name: not is_held_out(name, config.holdout))
    split = "train" if "train" in layout.splits else layout.splits[0]
    train = load_paired(spec.path, split, config.image_size, config.direction, names_filter=keep)
    if recipe.name == "pix2pixhd" and train.input_kind != "labels":
        raise DataError(f"{spec.name} holds {train.input_kind} inputs; pix2pixHD-lite needs label maps.",
                        "Use a train_label/ + train_img/ folder, or the pix2pix recipe for A|B images.")
    if resume_config is None:
        config = config.replace(
            dataset_path=spec.path, dataset_kind="paired", dataset_name=spec.name, channels=3,
            input_kind=train.input_kind, input_channels=int(train.inputs.shape[-1]), label_classes=train.class_count,
            palette=train.palette.to_dict() if train.palette else {})
    elif int(train.inputs.shape[-1]) != config.input_channels:
        raise DataError(f"{spec.name} now has {train.inputs.shape[-1]} input channels; the run was trained on "
                        f"{config.input_channels}.", "Resume with the data set the run started on.")
    val = _validation(spec, config)
    data = LoadedData(_stack(train), None, (), train.skipped, train.names, _stack(val) if val else None)
    if config.batch_size > len(data.images):
        raise DataError(f"The data set has {len(data.images)} pairs, fewer than one batch ({config.batch_size}).",
                        "Lower the batch size or add pairs.")
    return data.with_batches(config.batch_size, config.seed, config.flip_augment), config

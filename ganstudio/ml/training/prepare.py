"""Turn user choices (recipe, data set, a few hyperparameters) into a loaded data set and a full TrainConfig.

Shared by the CLI and the Train page so both validate the same way. Imports no TensorFlow.
"""

from __future__ import annotations

from pathlib import Path

from ganstudio.core.image_data import datasets
from ganstudio.core.errors import DataError
from ganstudio.core.image_data.splits import split_mask
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.recipes import get as get_recipe

BUILTIN_ALIASES = {"flowers": 0, "mnist": 1, "fashion-mnist": 2}


def resolve_dataset(name_or_path: str) -> datasets.DatasetSpec:
    """A built-in alias (flowers, mnist, fashion-mnist) or any folder, detected by content."""
    builtins = datasets.builtin_datasets()
    index = BUILTIN_ALIASES.get(name_or_path.lower())
    if index is not None:
        if index >= len(builtins):
            raise DataError(f"The {name_or_path} data set is not installed on this machine.",
                            "Install Debian's dataset-fashion-mnist package, or pass a folder.")
        return builtins[index]
    wanted = Path(name_or_path).expanduser()
    for spec in builtins:
        # The same built-in, possibly recorded by another install (a run or model made elsewhere): its folder name.
        if Path(spec.path) == wanted or (not wanted.exists() and spec.builtin and Path(spec.path).name == wanted.name):
            return spec
    from ganstudio.core.paired.layout import detect_paired
    from ganstudio.core.speech.data import detect_speech

    if detect_speech(wanted) is not None:
        return datasets.DatasetSpec("speech", str(wanted), wanted.name)
    layout = detect_paired(wanted)
    if layout is not None:
        return datasets.DatasetSpec("paired", str(wanted), wanted.name)
    return datasets.detect(name_or_path)


def default_image_size(spec: datasets.DatasetSpec) -> int:
    return 32 if spec.kind == "idx" else 64  # MNIST 28 px is padded to 32 px


def prepare(recipe_name: str, spec: datasets.DatasetSpec, overrides: dict, resume_config: TrainConfig | None = None):
    """(LoadedData, TrainConfig). For a resumed run the stored config wins; otherwise defaults ← overrides ← data."""
    recipe = get_recipe(recipe_name)
    if recipe.data_kind == "captions":
        from ganstudio.ml.training.prepare_captions import prepare_captions

        return prepare_captions(recipe, spec, overrides, resume_config)
    if recipe.data_kind == "speech" or spec.kind == "speech":
        from ganstudio.ml.training.prepare_speech import prepare_speech

        if spec.kind != "speech":
            raise DataError(f"{spec.name} is not a speech data set; {recipe.title} needs clean and noisy speech.",
                            "Use clean/ + noisy/ folders, clean/ + noise/ folders, or `ganstudio make-speech-corpus`.")
        return prepare_speech(recipe, spec, overrides, resume_config)
    if recipe.paired or spec.kind == "paired":
        return _prepare_paired(recipe, spec, overrides, resume_config)
    if resume_config is not None:
        config = resume_config
    else:
        size = overrides.get("image_size") or default_image_size(spec)
        config = recipe.config(spec.kind, **{**overrides, "image_size": size})
    data = datasets.load(spec, config.image_size, config.channels if resume_config else None)
    if config.holdout > 0:
        data = datasets.subset(data, ~split_mask(data.names, config.holdout))
    if resume_config is None:
        config = _fit_to_data(config, data, spec, recipe.conditional)
    if config.batch_size > len(data.images):
        raise DataError(f"The data set has {len(data.images)} images, fewer than one batch ({config.batch_size}).",
                        "Lower the batch size or add images.")
    return data.with_batches(config.batch_size, config.seed, config.flip_augment), config


def _fit_to_data(config: TrainConfig, data: datasets.LoadedData, spec: datasets.DatasetSpec, conditional: bool) -> TrainConfig:
    classes = data.class_names if conditional else ()
    if conditional and (data.labels is None or len(classes) < 2):
        found = "no class labels" if data.labels is None else f"only {len(classes)} class"
        raise DataError(f"{spec.name} has {found}; the conditional recipe needs labels of at least 2 classes.",
                        "Use a folder with one subfolder per class, an IDX set with a labels file, or the DCGAN recipe.")
    return config.replace(dataset_path=spec.path, dataset_kind=spec.kind, dataset_name=spec.name,
                          channels=data.channels, num_classes=len(classes), class_names=tuple(classes))


def _prepare_paired(recipe, spec: datasets.DatasetSpec, overrides: dict, resume_config: TrainConfig | None):
    if not recipe.paired:
        raise DataError(f"{spec.name} is a paired data set; the {recipe.title} recipe trains on single images.",
                        "Pick pix2pix or pix2pixHD-lite, or a folder of photos.")
    if spec.kind != "paired":
        raise DataError(f"{spec.name} is not a paired data set; {recipe.title} needs (input, photo) pairs.",
                        "Use pix2pix A|B folders (train/ val/) or pix2pixHD folders (train_label/ train_img/); "
                        "`ganstudio make-pairs PHOTOS --kind edges|labels` derives them from photos.")
    from ganstudio.ml.training.prepare_paired import prepare_paired

    return prepare_paired(recipe, spec, overrides, resume_config)

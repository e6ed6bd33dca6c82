"""Captioned photos (images + same-named .txt captions, or Oxford-102 / CUB `text_c10/`) → EmbeddedCaptions and a
TrainConfig for GAN-CLS. Every caption is embedded once here by the frozen text encoder; the train step never runs it."""

from __future__ import annotations

import numpy as np

from ganstudio.core.image_data.splits import split_mask
from ganstudio.ml.training.config import TrainConfig

PREVIEW_PROMPTS = 8  # columns of the live preview: one caption of each of 8 photos, spread over the classes
ENCODE_BATCH = 512


def prepare_captions(recipe, spec, overrides: dict, resume_config: TrainConfig | None):
    from ganstudio.core.captions.data import load_captioned
    from ganstudio.core.captions.embedded import EmbeddedCaptions
    from ganstudio.core.errors import DataError

    config = resume_config or recipe.config(**{**overrides, "image_size": overrides.get("image_size") or 64})
    loaded = load_captioned(spec.path, config.image_size)
    held = split_mask(loaded.names, config.holdout) if config.holdout > 0 else np.zeros(len(loaded.names), bool)
    keep = np.flatnonzero(~held)
    if len(keep) < config.batch_size:
        raise DataError(f"{spec.name} has {len(keep)} captioned photos to train on, fewer than one batch "
                        f"({config.batch_size}).", "Lower the batch size or add captioned photos.")
    captions = [loaded.captions[i] for i in keep]
    encoder = text_encoder(config.text_encoder)
    embeddings = encode_all(encoder, [c for photo in captions for c in photo])
    count = np.asarray([len(c) for c in captions], np.int64)
    labels = loaded.labels[keep].astype(np.int32) if (loaded.labels >= 0).all() else None
    texts = preview_prompts(captions, labels, config.seed)
    data = EmbeddedCaptions(loaded.images[keep], embeddings, np.concatenate([[0], np.cumsum(count)[:-1]]), count,
                            labels, tuple(loaded.class_names), [loaded.names[i] for i in keep], list(loaded.skipped),
                            validation=loaded.images[held] if held.any() else None, preview_texts=texts,
                            preview_embeddings=encode_all(encoder, texts))
    if resume_config is None:
        config = config.replace(dataset_path=spec.path, dataset_kind="captions", dataset_name=spec.name,
                                channels=3, text_dim=int(embeddings.shape[1]), class_names=tuple(loaded.class_names))
    return data.with_batches(config.batch_size, config.seed, config.flip_augment), config


def text_encoder(name_or_path: str):
    from ganstudio.ml.inference.text_encoder import TextEncoderSession

    return TextEncoderSession.load(name_or_path)


def encode_all(encoder, texts: list[str]) -> np.ndarray:
    parts = [encoder.encode(texts[i:i + ENCODE_BATCH]) for i in range(0, len(texts), ENCODE_BATCH)]
    return np.concatenate(parts).astype(np.float32)


def preview_prompts(captions: list[list[str]], labels: np.ndarray | None, seed: int) -> list[str]:
    """The shortest caption of PREVIEW_PROMPTS photos, taking the classes in turn (a fixed pick for a run's seed)."""
    rng = np.random.default_rng([seed, 3])
    order = rng.permutation(len(captions))
    if labels is not None:  # round-robin over classes: a column per class before any class gets a second
        by_class = [order[labels[order] == c] for c in np.unique(labels)]
        turns = [i for group in zip(*by_class) for i in group]
        taken = set(turns)
        order = np.asarray(turns + [i for i in order if i not in taken])
    return [min(captions[i], key=len) for i in order[:PREVIEW_PROMPTS]]

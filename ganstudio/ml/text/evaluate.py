"""How well a joint embedding retrieves: R-precision on photos under several caption sets (the training templates,
held-out paraphrases, typos), each averaged over rounds of random candidates as AttnGAN reports it."""

from __future__ import annotations

import numpy as np

from ganstudio.core.text.tokenizers import Tokenizer
from ganstudio.ml.text.contrastive import r_precision


def embed(model, inputs: np.ndarray, batch: int = 256) -> np.ndarray:
    """float32 (N, D) embeddings of token ids or photos, in inference mode."""
    parts = [np.asarray(model(inputs[i:i + batch], training=False)) for i in range(0, len(inputs), batch)]
    return np.concatenate(parts).astype(np.float32)


def caption_embeddings(text_model, tokenizer: Tokenizer, captions: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(embeddings (M, D) of every caption, owner photo (M,))."""
    owners = np.repeat(np.arange(len(captions)), [len(c) for c in captions])
    return embed(text_model, tokenizer.encode_batch([c for caps in captions for c in caps])), owners


def retrieval(image_emb: np.ndarray, text_emb: np.ndarray, owners: np.ndarray, seed: int = 0,
              rounds: int = 10) -> float:
    """Mean R-precision over `rounds` draws of true captions and distractors (seeded: every model sees the same)."""
    rng = np.random.default_rng(seed)
    return float(np.mean([r_precision(image_emb, text_emb, owners, rng) for _ in range(rounds)]))


def evaluate(text_model, image_model, tokenizer: Tokenizer, images: np.ndarray,
             caption_sets: dict[str, list[list[str]]], rounds: int = 10) -> dict[str, float]:
    """R-precision of the photos `images` against each named set of their captions."""
    image_emb = embed(image_model, images.astype(np.float32))
    results = {}
    for name, captions in caption_sets.items():
        text_emb, owners = caption_embeddings(text_model, tokenizer, captions)
        results[name] = round(retrieval(image_emb, text_emb, owners, rounds=rounds), 4)
    return results

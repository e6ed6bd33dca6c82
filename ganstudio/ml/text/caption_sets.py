"""The caption sets a text encoder is measured on, for the held-out photos: the captions beside them (training
templates), paraphrases from templates and synonyms no training caption used, and both with typos; and the ceiling
of a perfect reader of the measured facts."""

from __future__ import annotations

import numpy as np

from ganstudio.core.text.noise import with_typos
from ganstudio.ml.text.contrastive import r_precision
from ganstudio.ml.text.data import CaptionedPhotos

TYPO_RATE = 0.05  # one swapped letter pair per 20 letters: "a yellow sunflower with a drak centre"


def measured_facts(photos: CaptionedPhotos) -> list:
    from ganstudio.core.captions.attributes import measure

    return [measure(image) for image in photos.images]


def paraphrases(photos: CaptionedPhotos, facts: list, n: int = 10, seed: int = 0) -> list[list[str]]:
    """n captions per photo from the held-out templates and synonyms, stating the facts measured from it."""
    from ganstudio.core.captions.generate import captions_for

    return [captions_for(f, photos.class_of(i) or "flower", seed + i, n=n, held_out=True) for i, f in enumerate(facts)]


def with_typos_all(captions: list[list[str]], seed: int = 0, rate: float = TYPO_RATE) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [[with_typos(c, rng, rate) for c in caps] for caps in captions]


def heldout_caption_sets(photos: CaptionedPhotos, facts: list, seed: int = 0) -> dict[str, list[list[str]]]:
    """{"templates", "paraphrases", "typos", "paraphrase_typos"} → captions per photo. Seeded: every encoder is
    measured on the same text."""
    held = paraphrases(photos, facts, seed=seed)
    return {"templates": photos.captions, "paraphrases": held, "typos": with_typos_all(photos.captions, seed),
            "paraphrase_typos": with_typos_all(held, seed + 1)}


def facts_ceiling(photos: CaptionedPhotos, facts: list, seed: int = 0, rounds: int = 10) -> float:
    """An upper bound on R-precision: a perfect reader that knows all the facts a photo's captions may state still
    cannot tell apart photos whose class, count and stateable facts agree (a tie). A single caption states fewer
    facts, so the true bound is lower still. Encoders are read against this, not against 1."""
    from ganstudio.core.captions.generate import stateable

    keys = []
    for i, f in enumerate(facts):
        said = stateable(f, photos.class_of(i) or "flower")
        keys.append((photos.class_of(i), f.count, *(getattr(f, name) if fact in said else None for fact, name in
                     (("colour", "petal_colours"), ("centre", "centre_colour"), ("close_up", "close_up"))),
                     (f.background, f.blurred_background) if "background" in said else None))
    index = {key: k for k, key in enumerate(dict.fromkeys(keys))}
    onehot = np.eye(len(index), dtype=np.float32)[[index[key] for key in keys]]
    rng = np.random.default_rng(seed)
    owners = np.arange(len(keys))
    return float(np.mean([r_precision(onehot, onehot, owners, rng) for _ in range(rounds)]))

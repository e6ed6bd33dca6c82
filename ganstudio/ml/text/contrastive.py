"""The joint embedding's objective and its measure: a symmetric InfoNCE loss over a batch of (caption, photo) pairs,
and R-precision (is the true caption the best of 100, as AttnGAN reports it)."""

from __future__ import annotations

import numpy as np

from ganstudio.ml.runtime import tf

TEMPERATURE = 0.1


def contrastive_loss(text, image, temperature: float = TEMPERATURE):
    """Mean of the caption→photo and photo→caption cross-entropies of softmax(text · imageᵀ / temperature), whose
    right answers are the diagonal: each caption should pick its own photo among the batch's, and each photo its
    own caption. Inputs are unit vectors (B, D)."""
    t = tf()
    logits = t.matmul(text, image, transpose_b=True) / temperature
    labels = t.range(t.shape(logits)[0])
    xent = t.nn.sparse_softmax_cross_entropy_with_logits
    return 0.5 * (t.reduce_mean(xent(labels, logits)) + t.reduce_mean(xent(labels, t.transpose(logits))))


def r_precision(image: np.ndarray, text: np.ndarray, owners: np.ndarray, rng: np.random.Generator,
                candidates: int = 100) -> float:
    """Share of photos whose own caption scores highest among `candidates` captions: it and candidates − 1 random
    captions of other photos (fewer when there are fewer photos). `text` (M, D) holds captions of the photos
    `owners` (M,) names; each photo's true caption is one of its own at random. A tie with k others counts 1/(k+1)
    (a random tie-break): two photos with the same facts can have word-for-word the same caption."""
    n = len(image)
    per_photo = [np.flatnonzero(owners == i) for i in range(n)]
    k = min(candidates, n) - 1
    hits = []
    for i in range(n):
        others = rng.choice(np.delete(np.arange(n), i), size=k, replace=False)
        picks = [rng.choice(per_photo[j]) for j in (i, *others)]
        scores = text[picks] @ image[i]
        tied = np.abs(scores - scores.max()) <= 1e-6
        hits.append(float(tied[0]) / tied.sum())
    return float(np.mean(hits))

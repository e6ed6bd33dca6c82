"""Inception-style score (Salimans et al. 2016) from any classifier's class probabilities: exp of the mean KL between
each sample's p(y|x) and the marginal p(y), per split, reported as mean ± std over splits (SPEC §5.2). The book's
listing averages over classes as well (its BUG 1968); here the KL is summed over classes, as the definition says."""

from __future__ import annotations

import numpy as np

from ganstudio.core.errors import StudioError
from ganstudio.core.metrics.checks import require_samples

SPLITS = 10
MIN_PER_SPLIT = 2  # one sample per split makes the marginal equal to it: every split would score exactly 1
_EPS = 1e-12  # 0 · log 0 = 0: a class a sample gives no probability adds nothing to its KL


def inception_score(probabilities: np.ndarray, splits: int = SPLITS) -> tuple[float, float]:
    """(mean, std) over `splits` consecutive splits of (N, C) class probabilities (rows summing to 1)."""
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or not np.isfinite(p).all() or (p < 0).any() or not np.allclose(p.sum(1), 1.0, atol=1e-3):
        raise StudioError("The Inception score needs (N, C) class probabilities, each row summing to 1.",
                          "Pass the classifier's softmax output, not logits or features.")
    require_samples(f"The Inception score with {splits} splits", len(p), splits * MIN_PER_SPLIT,
                    f"{MIN_PER_SPLIT} per split")
    scores = []
    for part in np.array_split(p, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = (part * (np.log(part + _EPS) - np.log(marginal + _EPS))).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))

"""Mode analysis (book ch. 4): a classifier's class histogram over generated samples and its total-variation distance
to the histogram of real samples; a dropped mode shows as an empty bar and a large distance."""

from __future__ import annotations

import numpy as np


def class_histogram(probabilities: np.ndarray) -> np.ndarray:
    """Share of samples assigned to each class (argmax of the classifier's (N, C) probabilities)."""
    probabilities = np.asarray(probabilities)
    counts = np.bincount(np.argmax(probabilities, axis=1), minlength=probabilities.shape[1])
    return counts / max(1, counts.sum())


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    """½ Σ |p − q| of two histograms: 0 when equal, 1 when they share no class."""
    return float(0.5 * np.abs(np.asarray(p, np.float64) - np.asarray(q, np.float64)).sum())

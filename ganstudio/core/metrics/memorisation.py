"""k-nearest-neighbour memorisation check (book ch. 4): each generated sample's nearest training samples, and the
share of generated samples closer to a training sample than a threshold (the copy rate)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.metrics.checks import as_rows, require_samples, same_width
from ganstudio.core.metrics.neighbours import blocks, kth_neighbour_distance, nearest

COPY_FRACTION = 0.5  # a copy sits closer to a training sample than half the typical gap between training samples


@dataclass(frozen=True)
class CopyCheck:
    index: np.ndarray     # nearest training sample of each generated one
    distance: np.ndarray  # and its distance
    threshold: float
    copy_rate: float      # share of generated samples with distance <= threshold


def copy_threshold(train: np.ndarray, metric: str = "l2", fraction: float = COPY_FRACTION) -> float:
    """Default threshold: `fraction` × the median distance from a training sample to its nearest other one. Scaled
    by the data itself, because a fixed number means nothing across pixel and feature spaces."""
    rows = as_rows(train, "training samples")
    require_samples("The copy threshold", len(rows), 2, "each training sample's nearest other one")
    return float(fraction * np.median(kth_neighbour_distance(rows, 1, metric)))


def knn_copy_rate(generated: np.ndarray, train: np.ndarray, threshold: float | None = None,
                  metric: str = "l2") -> CopyCheck:
    """Nearest training sample of each generated one and the copy rate under `threshold` (default: copy_threshold)."""
    gen, ref = as_rows(generated, "generated samples"), as_rows(train, "training samples")
    same_width(gen, ref)
    limit = copy_threshold(ref, metric) if threshold is None else float(threshold)
    index, distance = nearest(gen, ref, metric)
    return CopyCheck(index, distance, limit, float((distance <= limit).mean()))


def k_nearest(generated: np.ndarray, train: np.ndarray, k: int, metric: str = "l1") -> np.ndarray:
    """(N, k) indices of each generated sample's k nearest training samples, nearest first, for showing them side by
    side; L1 in pixel space is the book's choice. argpartition is sliced to [:k] (the book forgets: its BUG 1857)."""
    gen, ref = as_rows(generated, "generated samples"), as_rows(train, "training samples")
    same_width(gen, ref)
    require_samples(f"The {k} nearest training samples", len(ref), k)
    out = np.empty((len(gen), k), dtype=np.int64)
    for start, d in blocks(gen, ref, metric):
        part = np.argpartition(d, k - 1, axis=1)[:, :k]
        order = np.argsort(np.take_along_axis(d, part, axis=1), axis=1)
        out[start:start + len(d)] = np.take_along_axis(part, order, axis=1)
    return out

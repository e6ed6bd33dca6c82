"""Euclidean (or L1) nearest neighbours between sample sets, in row blocks: a 10k × 10k distance matrix in float64
is 800 MB, a block of 512 rows against 10k is 40 MB."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

BLOCK = 512


def distances(a: np.ndarray, b: np.ndarray, metric: str = "l2") -> np.ndarray:
    """(len(a), len(b)) distances between the rows of a and b."""
    if metric == "l1":
        return np.abs(a[:, None, :] - b[None, :, :]).sum(axis=2)
    # ‖a‖² + ‖b‖² − 2ab is one matrix product; clamp the tiny negatives rounding leaves where a == b
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return np.sqrt(np.maximum(sq, 0.0))


def blocks(a: np.ndarray, b: np.ndarray, metric: str = "l2", block: int = BLOCK) -> Iterator[tuple[int, np.ndarray]]:
    """(start, distances of a[start:start + block] to all of b), block by block."""
    if metric == "l1":
        block = max(1, block // 16)  # the L1 broadcast holds block × len(b) × D values, not block × len(b)
    for start in range(0, len(a), block):
        yield start, distances(a[start:start + block], b, metric)


def kth_neighbour_distance(x: np.ndarray, k: int, metric: str = "l2") -> np.ndarray:
    """Distance from each row to its k-th nearest other row of the same set (the row itself does not count)."""
    out = np.empty(len(x))
    for start, d in blocks(x, x, metric):
        rows = np.arange(len(d))
        d[rows, start + rows] = np.inf  # a sample is not its own neighbour
        out[start:start + len(d)] = np.partition(d, k - 1, axis=1)[:, k - 1]
    return out


def nearest(a: np.ndarray, b: np.ndarray, metric: str = "l2") -> tuple[np.ndarray, np.ndarray]:
    """(index into b, distance) of each row of a's nearest row of b."""
    index, dist = np.empty(len(a), dtype=np.int64), np.empty(len(a))
    for start, d in blocks(a, b, metric):
        i = np.argmin(d, axis=1)
        index[start:start + len(d)], dist[start:start + len(d)] = i, d[np.arange(len(d)), i]
    return index, dist

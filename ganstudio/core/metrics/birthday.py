"""Birthday-paradox support estimate (Arora & Zhang 2017; book ch. 4): draw batches of s samples, flag each batch's
closest pairs, count batches holding a near-duplicate (distance <= threshold). If samples were uniform over N
distinct outputs, a batch collides with probability p ≈ 1 − exp(−s(s − 1) / 2N), so N ≈ s(s − 1) / (−2 ln(1 − p)):
about s² when half the batches collide, the book's rule of thumb."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.errors import StudioError
from ganstudio.core.metrics.checks import as_rows, require_samples
from ganstudio.core.metrics.neighbours import distances

BATCH = 640   # the paper's batch of DCGAN faces
PAIRS = 20    # closest pairs shown per batch for inspection (book, procedure step 3)
MIN_BATCHES = 2


@dataclass(frozen=True)
class BirthdayResult:
    batch_size: int
    batches: int
    collision_rate: float   # share of batches with at least one pair within the threshold
    support: float          # estimated number of distinct outputs
    bound: str              # "estimate", or "lower"/"upper" when no or every batch collided (the rate is 0 or 1)
    pairs: list[list[tuple[int, int, float]]]  # per batch, its closest (i, j, distance), indices into the samples


def closest_pairs(batch: np.ndarray, count: int = PAIRS, metric: str = "l2") -> list[tuple[int, int, float]]:
    """The `count` closest pairs (i < j, distance) within one batch of rows, closest first."""
    d = distances(batch, batch, metric)
    i, j = np.triu_indices(len(batch), k=1)
    flat = d[i, j]
    top = np.argsort(flat, kind="stable")[:count]
    return [(int(i[t]), int(j[t]), float(flat[t])) for t in top]


def support_from_rate(rate: float, batch_size: int) -> float:
    """N such that a batch of batch_size uniform draws from N outputs collides with probability `rate`."""
    return batch_size * (batch_size - 1) / (-2.0 * np.log1p(-rate))


def birthday_test(samples: np.ndarray, threshold: float, batch_size: int = BATCH, pairs: int = PAIRS,
                  metric: str = "l2") -> BirthdayResult:
    """Split samples into consecutive batches of batch_size (the rest is dropped) and estimate the support size."""
    rows = as_rows(samples, "generated samples")
    if batch_size < 2:
        raise StudioError(f"A birthday-test batch needs at least 2 samples, not {batch_size}.", "Use a larger batch.")
    require_samples(f"The birthday test with batches of {batch_size}", len(rows), MIN_BATCHES * batch_size,
                    f"{MIN_BATCHES} batches, to measure how often a batch holds a duplicate")
    batches = len(rows) // batch_size
    found, collided = [], 0
    for b in range(batches):
        start = b * batch_size
        top = [(start + i, start + j, d) for i, j, d in closest_pairs(rows[start:start + batch_size], pairs, metric)]
        found.append(top)
        collided += bool(top) and top[0][2] <= threshold
    rate = collided / batches
    # 0 or every batch colliding only bounds N: use half a batch either way, as the least the counts can resolve
    bound = "lower" if collided == 0 else "upper" if collided == batches else "estimate"
    resolvable = min(max(rate, 0.5 / batches), 1.0 - 0.5 / batches)
    return BirthdayResult(batch_size, batches, rate, support_from_rate(resolvable, batch_size), bound, found)

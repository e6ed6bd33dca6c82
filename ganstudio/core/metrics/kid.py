"""Kernel Inception Distance (Bińkowski et al. 2018): the unbiased MMD² between two feature sets under the cubic
polynomial kernel k(x, y) = (x·y / d + 1)³, averaged over random blocks (subsets) to bound the cost and give a spread.
Unlike FID it is unbiased, so values from different sample counts can be compared."""

from __future__ import annotations

import numpy as np

from ganstudio.core.metrics.checks import as_rows, require_samples, same_width

SUBSET_SIZE = 1000  # the reference implementation's block size
SUBSETS = 100


def polynomial_kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(x·y / d + 1)³ for every pair of rows: d, the feature width, keeps the kernel's scale independent of it."""
    return (a @ b.T / a.shape[1] + 1.0) ** 3


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD²: within-set means leave out the diagonal (k(x, x) would bias it upwards)."""
    n, m = len(x), len(y)
    kxx, kyy, kxy = polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y)
    within_x = (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
    within_y = (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
    return float(within_x + within_y - 2.0 * kxy.mean())


def kid(real: np.ndarray, generated: np.ndarray, subset_size: int = SUBSET_SIZE, subsets: int = SUBSETS,
        seed: int = 0) -> tuple[float, float]:
    """(mean, std) of the unbiased MMD² over `subsets` random blocks of min(subset_size, N) samples of each set.
    It can be slightly negative when the two sets match: that is the unbiased estimator, not an error."""
    x, y = as_rows(real, "KID real features"), as_rows(generated, "KID generated features")
    same_width(x, y)
    require_samples("KID", min(len(x), len(y)), 2, "the unbiased estimator leaves out each sample's own pair")
    size = min(subset_size, len(x), len(y))
    rng = np.random.default_rng(seed)
    values = [mmd2_unbiased(x[rng.choice(len(x), size, replace=False)], y[rng.choice(len(y), size, replace=False)])
              for _ in range(subsets)]
    return float(np.mean(values)), float(np.std(values))

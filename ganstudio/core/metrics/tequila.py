"""TequilaGAN statistics (book ch. 11, SPEC §12): compare the pixel-intensity distributions of two image sets (two-
sample Kolmogorov–Smirnov, Jensen–Shannon divergence of 100-bin histograms, empirical CDFs) and describe each image
by its column centroids and their local slopes. Images are in [0, 1]; GAN pixels approach 0 and 1 smoothly where real
digits jump, which these numbers expose even when FID looks fine."""

from __future__ import annotations

import numpy as np
from scipy import stats

from ganstudio.core.metrics.checks import require_samples

BINS = 100
SLOPE_WINDOW = 7  # columns per regression window (book 6761-6807)
_EPS = 1e-8       # an empty column has no centroid; the book's eps puts it at 0


def intensities(images: np.ndarray) -> np.ndarray:
    """Every pixel value of every image, flattened, as float64."""
    values = np.asarray(images, dtype=np.float64).reshape(-1)
    require_samples("A pixel-intensity statistic", len(values), 1)
    return values


def intensity_histogram(images: np.ndarray, bins: int = BINS, value_range: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """Share of pixels in each of `bins` equal bins over value_range (values outside it are not counted)."""
    counts, _ = np.histogram(intensities(images), bins=bins, range=value_range)
    return counts / max(1, counts.sum())


def ks_two_sample(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(D, p) of the two-sample KS test on pixel intensities: D = sup |F_a − F_b| over every observed value, p from
    the distribution of D for n·m/(n + m) samples (what scipy's ks_2samp does for large sets)."""
    x, y = np.sort(intensities(a)), np.sort(intensities(b))
    both = np.concatenate([x, y])
    # the sup of two step functions is reached at a jump: evaluate both CDFs right after every observed value
    d = float(np.abs(np.searchsorted(x, both, "right") / len(x) - np.searchsorted(y, both, "right") / len(y)).max())
    effective = round(len(x) * len(y) / (len(x) + len(y)))
    return d, float(np.clip(stats.kstwo.sf(d, effective), 0.0, 1.0))


def jsd(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon divergence (natural log, so at most ln 2) of two histograms, each L1-normalised first."""
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    p, q = p / p.sum(), q / q.sum()
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> float:  # terms with a = 0 contribute 0; m > 0 wherever a > 0
        nz = a > 0
        return float((a[nz] * np.log(a[nz] / m[nz])).sum())

    return 0.5 * kl(p) + 0.5 * kl(q)


def ecdf(images: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Share of pixel values <= each point (the book evaluates 50 points in [0, 1])."""
    values = np.sort(intensities(images))
    return np.searchsorted(values, np.asarray(points, np.float64), "right") / len(values)


def column_centroids(images: np.ndarray) -> np.ndarray:
    """(N, W) per image and column j: Σ_i i·img[i, j] / (Σ_i img[i, j] + eps), the row 'centre of mass' (channels
    averaged first)."""
    arr = np.asarray(images, dtype=np.float64)
    if arr.ndim == 4:
        arr = arr.mean(axis=3)
    rows = np.arange(arr.shape[1], dtype=np.float64)[None, :, None]
    return (rows * arr).sum(axis=1) / (arr.sum(axis=1) + _EPS)


def centroid_slopes(centroids: np.ndarray, window: int = SLOPE_WINDOW) -> np.ndarray:
    """(N, W − window + 1) least-squares slope of centroid against position 0…window−1 in each sliding window."""
    c = np.asarray(centroids, dtype=np.float64)
    require_samples(f"Centroid slopes over {window} columns", c.shape[1], window, "columns per window")
    x = np.arange(window) - (window - 1) / 2.0  # centred positions: slope = Σ x·c / Σ x²
    windows = np.lib.stride_tricks.sliding_window_view(c, window, axis=1)
    return windows @ x / (x @ x)

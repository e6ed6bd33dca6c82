"""Input checks shared by the metrics: too few samples is refused with the count needed, not answered with noise."""

from __future__ import annotations

import numpy as np

from ganstudio.core.errors import StudioError


def require_samples(metric: str, n: int, minimum: int, why: str = "") -> None:
    """Refuse a metric on fewer than `minimum` samples, saying how many it needs and why."""
    if n < minimum:
        reason = f" ({why})" if why else ""
        raise StudioError(f"{metric} needs at least {minimum} samples{reason}; got {n}.",
                          f"Evaluate with {minimum} or more samples.")


def as_rows(values: np.ndarray, name: str) -> np.ndarray:
    """(N, ...) samples as float64 (N, D) rows: images, features or any per-sample array."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim < 1 or len(arr) == 0:
        raise StudioError(f"{name}: no samples.", "Pass an (N, ...) array with N ≥ 1.")
    rows = arr.reshape(len(arr), -1)
    if not np.isfinite(rows).all():
        raise StudioError(f"{name} contains NaN or infinite values.", "Check the generator or the data set.")
    return rows


def same_width(a: np.ndarray, b: np.ndarray) -> None:
    """Two sample sets compared sample by sample must describe samples of the same size."""
    if a.shape[1] != b.shape[1]:
        raise StudioError(f"The two sample sets differ in size per sample ({a.shape[1]} vs {b.shape[1]} values).",
                          "Compare images of the same size and channels, or features of the same network.")

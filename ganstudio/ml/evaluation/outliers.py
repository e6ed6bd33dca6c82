"""Images that are no class at all, for outlier exposure (Hendrycks et al. 2019): a classifier trained to answer them
with a uniform distribution is confident only on real members of its classes, so confidence can mean "a digit"."""

from __future__ import annotations

import numpy as np
from scipy import ndimage


def _noise(rng: np.random.Generator, n: int, data: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Uniform noise over a random sub-range: what a fresh generator's checkerboards and speckle look like."""
    lo = rng.uniform(0, 128, (n, 1, 1, 1))
    return lo + rng.random((n, *data.shape[1:])) * rng.uniform(32, 255 - lo)


def _flat(rng: np.random.Generator, n: int, data: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """A flat field of any level with mild Gaussian grain: the grey of an untrained tanh generator."""
    return rng.uniform(0, 255, (n, 1, 1, 1)) + rng.normal(0, 1, (n, *data.shape[1:])) * rng.uniform(0, 40, (n, 1, 1, 1))


def _blotches(rng: np.random.Generator, n: int, data: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Smoothed noise at a random scale and contrast: blobs and worm-like strokes that form no glyph."""
    out = np.empty((n, *data.shape[1:]))
    for i in range(n):
        field = ndimage.gaussian_filter(rng.normal(0, 1, data.shape[1:]), (*[rng.uniform(0.8, 3.0)] * 2, 0))
        out[i] = field / (field.std() + 1e-6) * rng.uniform(40, 160) + rng.uniform(-60, 100)
    return out


def _blurred(rng: np.random.Generator, n: int, data: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Data images blurred until their shape is gone: a smudge in the right place with the right ink."""
    picked = data[rng.integers(0, len(data), n)].astype(np.float64)
    return np.stack([ndimage.gaussian_filter(im, (*[rng.uniform(3.0, 5.0)] * 2, 0)) for im in picked])


def _shuffled(rng: np.random.Generator, n: int, data: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Data images with their pixels permuted: the ink of a digit without its shape."""
    picked = data[rng.integers(0, len(data), n)]
    return rng.permuted(picked.reshape(n, -1, data.shape[-1]), axis=1).reshape(picked.shape)


def _blends(rng: np.random.Generator, n: int, data: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Two data images of different classes laid over each other: strokes of two classes at once are neither (two
    images of one class would make a bold member of it)."""
    a, b = rng.integers(0, len(data), n), rng.integers(0, len(data), n)
    same = labels[a] == labels[b] if labels is not None else np.zeros(n, bool)
    while same.any():
        b[same] = rng.integers(0, len(data), int(same.sum()))
        same = labels[a] == labels[b]
    return np.maximum(data[a], data[b]).astype(np.float64)


KINDS = (_noise, _flat, _blotches, _blurred, _shuffled, _blends)


def outlier_images(data: np.ndarray, rng: np.random.Generator, n: int, labels: np.ndarray | None = None) -> np.ndarray:
    """n uint8 images shaped like `data` (N, S, S, C), an equal share of each kind above, in random order. Give the
    data's labels (at least 2 classes) so that blends mix classes."""
    counts = rng.multinomial(n, [1 / len(KINDS)] * len(KINDS))
    parts = [kind(rng, int(k), data, labels) for kind, k in zip(KINDS, counts) if k]
    images = np.concatenate(parts) if parts else np.empty((0, *data.shape[1:]))
    return np.clip(images[rng.permutation(len(images))], 0, 255).astype(np.uint8)

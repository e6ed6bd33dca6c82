"""Fréchet distance between Gaussians fitted to two feature sets (FID, Heusel et al.; SPEC §16 #8 done right).

FID = ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr Re(sqrtm(Σ1 Σ2)). Pure NumPy/SciPy: no TensorFlow here.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg

EPS = 1e-6  # diagonal offset for near-singular covariances, as in the TTUR reference code
IMAGINARY_TOLERANCE = 1e-3  # relative to the largest |eigenvalue| scale; more than this means sqrtm failed


def feature_stats(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, covariance) of (N, D) features, in float64; covariance uses N − 1 like np.cov(rowvar=False)."""
    feats = np.asarray(features, dtype=np.float64)
    if feats.ndim != 2 or len(feats) < 2:
        raise ValueError(f"need (N ≥ 2, D) features, got shape {feats.shape}")
    return feats.mean(axis=0), np.atleast_2d(np.cov(feats, rowvar=False))


def _sqrtm(matrix: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "matrix is singular" is handled by the caller's retry
        return np.asarray(linalg.sqrtm(matrix))


def trace_sqrt_product(s1: np.ndarray, s2: np.ndarray, eps: float = EPS) -> float:
    """Tr Re(sqrtm(Σ1 Σ2)); retries with eps·I added to both when the product is too singular to root."""
    covmean = _sqrtm(s1 @ s2)
    if not np.isfinite(covmean).all():
        offset = np.eye(len(s1)) * eps
        covmean = _sqrtm((s1 + offset) @ (s2 + offset))
    if np.iscomplexobj(covmean):
        scale = max(1.0, float(np.abs(covmean.real).max(initial=0.0)))
        if np.abs(np.diagonal(covmean).imag).max() > IMAGINARY_TOLERANCE * scale:
            raise ValueError("sqrtm(Σ1 Σ2) has a large imaginary part: the covariances are numerically unusable")
        covmean = covmean.real
    return float(np.trace(covmean))


def frechet_distance(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray, eps: float = EPS) -> float:
    """‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr Re(sqrtm(Σ1 Σ2)), clamped at 0 (rounding can push ~0 slightly below)."""
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    s1, s2 = np.atleast_2d(np.asarray(s1, np.float64)), np.atleast_2d(np.asarray(s2, np.float64))
    if mu1.shape != mu2.shape or s1.shape != s2.shape or s1.shape != (len(mu1), len(mu1)):
        raise ValueError(f"mismatched statistics: μ {mu1.shape} vs {mu2.shape}, Σ {s1.shape} vs {s2.shape}")
    diff = mu1 - mu2
    value = diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * trace_sqrt_product(s1, s2, eps)
    return max(0.0, float(value))


def fid_from_features(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """FID between two (N, D) feature sets."""
    return frechet_distance(*feature_stats(features_a), *feature_stats(features_b))

"""Improved precision and recall (Kynkäänniemi et al. 2019) and density and coverage (Naeem et al. 2020) on features.

Each real sample gets a ball reaching its k-th nearest real neighbour (k = 3); precision is the share of generated
samples inside some real ball, recall the share of real samples inside some generated ball (the same test with the
roles swapped), density counts how many real balls hold each generated sample (/ k), coverage is the share of real
balls holding at least one generated sample. Density is about 1 for two draws of one distribution, but exactly
(k + 1) / k for a set against its own copy (each ball holds its centre and its k neighbours). "Inside" is `<=`, where public implementations disagree: a sample
whose k nearest neighbours are duplicates of it has a radius of 0, and with `<` not even its own copy would be inside
its ball, so a set with repeated samples (binary digits, a collapsed generator) compared with itself would score 0."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.metrics.checks import as_rows, require_samples, same_width
from ganstudio.core.metrics.neighbours import blocks, kth_neighbour_distance, nearest

K = 3


@dataclass(frozen=True)
class PRDC:
    precision: float
    recall: float
    density: float
    coverage: float


def _inside_counts(points: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """For each point, how many of the balls (centres, radii) contain it."""
    counts = np.empty(len(points), dtype=np.int64)
    for start, d in blocks(points, centres):
        counts[start:start + len(d)] = (d <= radii[None, :]).sum(axis=1)
    return counts


def prdc(real: np.ndarray, generated: np.ndarray, k: int = K) -> PRDC:
    """Precision, recall, density and coverage of generated samples against real ones, on (N, D) features."""
    x, y = as_rows(real, "real features"), as_rows(generated, "generated features")
    same_width(x, y)
    # the k-th neighbour of a sample among the others needs k others
    require_samples(f"Precision/recall with k = {k}", min(len(x), len(y)), k + 1, f"each sample's {k} nearest others")
    real_radii, fake_radii = kth_neighbour_distance(x, k), kth_neighbour_distance(y, k)
    in_real_balls = _inside_counts(y, x, real_radii)
    _, nearest_fake = nearest(x, y)
    return PRDC(precision=float((in_real_balls > 0).mean()),
                recall=float((_inside_counts(x, y, fake_radii) > 0).mean()),
                density=float(in_real_balls.sum() / (k * len(y))),
                coverage=float((nearest_fake <= real_radii).mean()))

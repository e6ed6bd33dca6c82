"""Latent-space math for the Latent page: lerp/slerp and paths through anchors, PCA and orthonormal bases,
slider directions, points (saved as JSON) and a back/forward history of visited points. Pure numpy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from ganstudio.core.errors import DataError

POINTS_FORMAT = "ganstudio-latent-points"


def lerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    return (1.0 - t) * np.asarray(a, np.float32) + t * np.asarray(b, np.float32)


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Spherical interpolation (White 2016): keeps a Gaussian z at a typical norm instead of cutting through the
    low-density centre as lerp does. Falls back to lerp for (nearly) parallel vectors, where the arc is a line."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return lerp(a, b, t)
    omega = np.arccos(np.clip(np.dot(a / na, b / nb), -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return lerp(a, b, t)
    mixed = (np.sin((1.0 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    return mixed.astype(np.float32)


def interpolate(a: np.ndarray, b: np.ndarray, t: float, mode: str = "slerp") -> np.ndarray:
    if mode not in ("lerp", "slerp"):
        raise ValueError(f"mode must be 'lerp' or 'slerp', got {mode!r}")
    return slerp(a, b, t) if mode == "slerp" else lerp(a, b, t)


def path_point(anchors: list[np.ndarray], t: float, mode: str = "slerp") -> np.ndarray:
    """The point at t ∈ [0, 1] along the piecewise path anchor 0 → 1 → … → last (each segment equally long in t)."""
    if not anchors:
        raise ValueError("a path needs at least one anchor")
    if len(anchors) == 1:
        return np.asarray(anchors[0], np.float32)
    position = float(np.clip(t, 0.0, 1.0)) * (len(anchors) - 1)
    segment = min(int(position), len(anchors) - 2)
    return interpolate(anchors[segment], anchors[segment + 1], position - segment, mode)


def path_frames(anchors: list[np.ndarray], n_frames: int, mode: str = "slerp", closed: bool = False) -> np.ndarray:
    """(n_frames, z_dim) points along the path; `closed` returns to the first anchor (for a seamless looping GIF)."""
    points = list(anchors) + ([anchors[0]] if closed and len(anchors) > 1 else [])
    ts = np.linspace(0.0, 1.0, n_frames, endpoint=not closed)
    return np.stack([path_point(points, t, mode) for t in ts]).astype(np.float32)


def orthonormalize(vectors: np.ndarray) -> np.ndarray:
    """Rows → orthonormal rows spanning the same space, in order (Gram-Schmidt via QR; signs kept)."""
    q, r = np.linalg.qr(np.asarray(vectors, np.float64).T)
    signs = np.where(np.diag(r) < 0, -1.0, 1.0)
    return (q * signs).T.astype(np.float32)


@dataclass(frozen=True)
class PCA:
    mean: np.ndarray  # (d,)
    components: np.ndarray  # (k, d), unit rows, by decreasing variance
    explained_variance: np.ndarray  # (k,)
    explained_ratio: np.ndarray  # (k,) share of the total variance

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, np.float64) - self.mean) @ self.components.T


def pca(samples: np.ndarray, n_components: int) -> PCA:
    """PCA of (n, d) samples by SVD of the centred data (no covariance matrix: d may be thousands)."""
    x = np.asarray(samples, np.float64)
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    variance = s**2 / max(len(x) - 1, 1)
    k = min(n_components, len(s))
    return PCA(mean, vt[:k], variance[:k], variance[:k] / max(variance.sum(), 1e-12))


@dataclass(frozen=True)
class Direction:
    """One slider direction in z: a unit vector, and the spread (σ) of sampled z along it, the slider's unit."""

    key: str  # stable id for settings, e.g. "ganspace:0", "zpca:3", "z:17"
    name: str  # what the picker shows
    vector: np.ndarray
    sigma: float = 1.0
    explained: float | None = None  # share of variance (PCA directions)


def raw_directions(z_dim: int, sigma: float = 1.0) -> list[Direction]:
    eye = np.eye(z_dim, dtype=np.float32)
    return [Direction(f"z:{i}", f"z[{i}] (raw)", eye[i], sigma) for i in range(z_dim)]


def z_pca_directions(z_samples: np.ndarray, n_components: int) -> list[Direction]:
    """PCA of sampled z itself. For a normal (or uniform) prior it is near-isotropic: each PC is close to a random
    direction, labelled so that nobody mistakes it for a semantic one."""
    result = pca(z_samples, n_components)
    sigmas = np.sqrt(result.explained_variance)
    return [Direction(f"zpca:{i}", f"z-PCA {i + 1} ({100 * r:.1f}%, near-isotropic)",
                      result.components[i].astype(np.float32), float(sigmas[i]), float(r))
            for i, r in enumerate(result.explained_ratio)]


def apply_offsets(base: np.ndarray, directions: list[Direction], values: list[float]) -> np.ndarray:
    """base + Σ value_i · σ_i · direction_i (slider values are in σ units)."""
    z = np.asarray(base, np.float32).copy()
    for direction, value in zip(directions, values):
        z += np.float32(value * direction.sigma) * direction.vector
    return z


@dataclass(frozen=True)
class LatentPoint:
    z: np.ndarray
    label: int | None = None
    note: str = ""
    seed: int | None = None  # the seed whose z the point started from (sliders may have moved it); None: a path point

    def to_dict(self) -> dict:
        data = {"z": [float(v) for v in self.z], "label": self.label, "note": self.note}
        return data if self.seed is None else {**data, "seed": self.seed}

    @classmethod
    def from_dict(cls, data: dict, z_dim: int) -> LatentPoint:
        z = np.asarray(data["z"], dtype=np.float32)
        if z.shape != (z_dim,) or not np.all(np.isfinite(z)):
            raise ValueError(f"z has shape {z.shape} (this model needs {z_dim} finite numbers)")
        label, seed = data.get("label"), data.get("seed")  # no seed: an older file, or a path point
        return cls(z, None if label is None else int(label), str(data.get("note", "")),
                   None if seed is None else int(seed))

    def same_as(self, other: LatentPoint | None) -> bool:
        return other is not None and self.label == other.label and np.array_equal(self.z, other.z)


def points_to_json(current: LatentPoint, anchors: list[LatentPoint], model: str = "") -> str:
    payload = {"format": POINTS_FORMAT, "version": 1, "model": model, "z_dim": int(len(current.z)),
               "current": current.to_dict(), "anchors": [a.to_dict() for a in anchors]}
    return json.dumps(payload, indent=1)


def points_from_json(text: str, z_dim: int) -> tuple[LatentPoint, list[LatentPoint]]:
    """(current, anchors) from a points file; DataError says why a file does not fit this model."""
    try:
        payload = json.loads(text)
    except ValueError as err:
        raise DataError(f"The points file is not valid JSON ({err}).", "Pick a file saved by the Latent page.") from err
    if not isinstance(payload, dict) or payload.get("format") != POINTS_FORMAT:
        raise DataError("This is not a ganstudio points file.", "Pick a file saved by the Latent page.")
    if payload.get("z_dim") != z_dim:
        raise DataError(f"These points are for a model with z_dim {payload.get('z_dim')}; this one has {z_dim}.",
                        f"Load them with the model they were saved from ({payload.get('model') or 'unknown'}).")
    try:
        current = LatentPoint.from_dict(payload["current"], z_dim)
        anchors = [LatentPoint.from_dict(a, z_dim) for a in payload.get("anchors", [])]
    except (KeyError, TypeError, ValueError) as err:
        raise DataError(f"The points file is damaged ({err}).", "Pick another file or save the points again.") from err
    return current, anchors


@dataclass
class PointHistory:
    """Visited points with back/forward like a browser: visiting after going back drops the forward part."""

    limit: int = 200
    points: list[LatentPoint] = field(default_factory=list)
    index: int = -1

    @property
    def current(self) -> LatentPoint | None:
        return self.points[self.index] if self.points else None

    def visit(self, point: LatentPoint) -> bool:
        """Record a point; False if it equals the current one (nothing recorded)."""
        if point.same_as(self.current):
            return False
        del self.points[self.index + 1:]
        self.points.append(point)
        if len(self.points) > self.limit:
            del self.points[0]
        self.index = len(self.points) - 1
        return True

    def can_go_back(self) -> bool:
        return self.index > 0

    def can_go_forward(self) -> bool:
        return self.index < len(self.points) - 1

    def go_to(self, index: int) -> LatentPoint:
        if not 0 <= index < len(self.points):
            raise IndexError(index)
        self.index = index
        return self.points[index]

    def back(self) -> LatentPoint | None:
        return self.go_to(self.index - 1) if self.can_go_back() else None

    def forward(self) -> LatentPoint | None:
        return self.go_to(self.index + 1) if self.can_go_forward() else None

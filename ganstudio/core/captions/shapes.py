"""Shapes in a flower mask for caption facts: how many flowers, how big the largest, and a daisy-like centre disc."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from ganstudio.core.captions.pixels import ID, SIZE

# Pixel colours a centre disc is made of, tried as separate groups so a yellow disc is not merged with dark gaps.
# A daisy's disc is often yellow shading into green, so that mix is a group of its own.
CENTRE_GROUPS = (("yellow", "orange", "brown"), ("yellow", "green"), ("black", "brown", "grey"), ("green",))
# Pixel names that count as petal around a disc: shaded white petals read grey, a yellow flower's rim orange.
PETAL_FAMILY = {"white": ("white", "grey"), "yellow": ("yellow", "orange"), "orange": ("orange", "yellow"),
                "red": ("red", "pink"), "pink": ("pink", "red", "purple"), "purple": ("purple", "pink")}


def count_flowers(mask: np.ndarray) -> str | None:
    """one / a few / many, or None when unsure.

    Two estimates: connected components of a real size (merges touching flowers) and well-separated peaks of the
    distance to the mask's edge (can split one ragged flower). The count is stated only when both agree, and "one"
    only for a flower the frame does not cut on two or more sides (a field of tulips merges into one such blob).
    """
    # Closed on an edge-padded copy, so flowers cut by the frame are not opened up at the frame edge.
    # Three steps bridge the gaps a fluffy seed head or shaded petals leave between parts of one flower.
    closed = ndimage.binary_closing(np.pad(mask, 3, mode="edge"), iterations=3)[3:-3, 3:-3] | mask
    filled = ndimage.binary_fill_holes(closed)
    if filled.all() or not filled.any():
        return None
    dist = _inside_distance(filled)
    top = float(dist.max())
    parts = _component_count(filled, dist)
    if top < 1.5 or parts is None:
        return None
    by_parts, by_peaks = _bucket(parts), _bucket(_peak_count(dist, top))
    if by_parts != by_peaks:
        return None
    if by_parts == "one":
        sides = (filled[0].any(), filled[-1].any(), filled[:, 0].any(), filled[:, -1].any())
        return "one" if sum(sides) <= 1 else None
    return by_parts


def _inside_distance(filled: np.ndarray) -> np.ndarray:
    """Distance to the nearest non-flower pixel; padded with flower, so the frame edge is not a flower edge."""
    return ndimage.distance_transform_edt(np.pad(filled, 6, constant_values=True))[6:-6, 6:-6]


def largest_radius(mask: np.ndarray) -> float:
    """The radius of the largest disc inside one flower, from the lightly closed mask (separate flowers stay apart)."""
    filled = ndimage.binary_fill_holes(ndimage.binary_closing(mask, iterations=1) | mask)
    if filled.all():
        return float(SIZE)
    return float(_inside_distance(filled).max()) if filled.any() else 0.0


def _bucket(n: int) -> str:
    return "one" if n <= 1 else "a few" if n <= 4 else "many"


def _component_count(mask: np.ndarray, dist: np.ndarray) -> int | None:
    """Components of at least 12 px (0.3% of the frame) and a quarter of the largest; None when one of them is not
    roundish (area > 2.5 × its inscribed disc): a clump of flowers or a distant field is not countable."""
    labels, n = ndimage.label(mask)
    if not n:
        return 0
    sizes = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    radii = ndimage.maximum(dist, labels, index=np.arange(1, n + 1))
    real = (sizes >= 12) & (sizes >= 0.25 * sizes.max())
    if np.any(sizes[real] > 2.5 * np.pi * np.asarray(radii)[real] ** 2):
        return None
    if real.sum() == 1 and np.any(~real & (sizes >= max(12, 0.08 * sizes.max()))):
        return None  # one big flower and smaller ones of its colour: "one" would be wrong, "a few" unsure
    return int(real.sum())


def _peak_count(dist: np.ndarray, top: float) -> int:
    peaks = (dist == ndimage.maximum_filter(dist, size=5)) & (dist >= max(2.5, 0.45 * top))
    kept: list[tuple[float, float, float]] = []
    for y, x in sorted(zip(*np.nonzero(peaks)), key=lambda p: -dist[p]):
        r = float(dist[y, x])
        # Overlapping inscribed discs are lobes of one flower; two flowers' discs at most touch.
        if all(np.hypot(y - ky, x - kx) > 0.9 * (r + kr) for ky, kx, kr in kept):
            kept.append((y, x, r))
    return len(kept)


def centre_disc(names: np.ndarray, petal: str) -> np.ndarray:
    """The largest compact blob of centre colours ringed by `petal` pixels (empty mask if there is none)."""
    best = np.zeros(names.shape, bool)
    petals = np.isin(names, [ID[n] for n in PETAL_FAMILY[petal]])
    # Sealing the gaps between petals keeps a dark disc from running out into a dark background.
    sealed = ndimage.binary_closing(petals, iterations=1) | petals
    for group in CENTRE_GROUPS:
        colour = np.isin(names, [ID[n] for n in group if n != petal])
        # A small disc survives only unsealed; a large dark one is cut from the background only when sealed.
        for candidates in (colour & ~petals, ndimage.binary_opening(colour & ~sealed, iterations=1)):
            blobs, count = ndimage.label(candidates)
            for k in range(1, count + 1):
                blob = blobs == k
                # A yellow-green disc stands out even among shaded petals; others need petals of their own colour
                # round them, or the shadow between grey-white petals would pass for a brown centre.
                mixed = group == ("yellow", "green")
                if mixed and (names[blob] == ID["yellow"]).mean() < 0.4:
                    continue  # the mix is for a yellow disc with a green tinge, not for leaves among petals
                own = 0.4 if mixed else 0.5
                if blob.sum() > best.sum() and _is_ringed_disc(blob, sealed, names == ID[petal], own):
                    best = blob
    return best


def _is_ringed_disc(blob: np.ndarray, petals: np.ndarray, own_colour: np.ndarray, own_share: float) -> bool:
    """Roundish and ringed by petals nearly all round (a gap between petals or flowers runs out somewhere)."""
    n = int(blob.sum())
    if n < 8:
        return False
    ys, xs = np.nonzero(blob)
    height, width = np.ptp(ys) + 1, np.ptp(xs) + 1
    if n / (height * width) < 0.5 or min(height, width) < 0.5 * max(height, width):
        return False
    # The band 2–4 px out, past the 1–2 px where yellow blurs into white through olive and grey.
    ring = ndimage.binary_dilation(blob, iterations=4) & ~ndimage.binary_dilation(blob, iterations=1)
    if (ring & petals).sum() < 0.7 * ring.sum() or (ring & own_colour).sum() < own_share * ring.sum():
        return False  # the petal colour itself, not only its shades (white's grey is also a hazy sky's)
    return _petals_all_round(blob, petals)


def _petals_all_round(blob: np.ndarray, petals: np.ndarray) -> bool:
    """Along at least 6 of 8 rays from the disc's middle, petals continue past its edge for 0.6 of its radius:
    a daisy's centre, not a gap between two flowers. A ray that leaves the frame passes (close-ups are cut)."""
    ys, xs = np.nonzero(blob)
    cy, cx, radius = ys.mean(), xs.mean(), np.sqrt(blob.sum() / np.pi)
    steps = np.arange(radius + 1.0, radius + 1.0 + max(2.0, 0.6 * radius), 0.5)
    good = 0
    for angle in np.arange(8) * np.pi / 4:
        py, px = np.round(cy + np.sin(angle) * steps).astype(int), np.round(cx + np.cos(angle) * steps).astype(int)
        inside = (py >= 0) & (py < SIZE) & (px >= 0) & (px < SIZE)
        hits = petals[py[inside], px[inside]]
        good += bool(hits.mean() >= 0.6) if inside.all() else bool(hits.size and hits[0])
    return good >= 6


def centre_name(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> str:
    """Named from the disc's median colour, not pixel by pixel: a shaded golden disc is one yellow centre."""
    hue, sat, val = float(np.median(h)), float(np.median(s)), float(np.median(v))
    if val < 0.3:
        return "dark"
    if 68 <= hue < 170:
        return "green"
    if 30 <= hue < 68 and sat >= 0.4 and val >= 0.5:
        return "yellow"
    if 14 <= hue < 30 and sat >= 0.5 and val >= 0.65:
        return "orange"
    return "brown"

"""Deterministic hold-out splits by file name, so training and evaluation agree on which photos were never seen."""

from __future__ import annotations

import hashlib

import numpy as np


def is_held_out(name: str, fraction: float) -> bool:
    """True for about `fraction` of names, decided by a hash of the name (stable across machines and versions)."""
    if fraction <= 0:
        return False
    bucket = int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big") / 2**32
    return bucket < fraction


def split_mask(names: list[str], fraction: float) -> np.ndarray:
    """Boolean mask of the held-out items."""
    return np.fromiter((is_held_out(n, fraction) for n in names), dtype=bool, count=len(names))

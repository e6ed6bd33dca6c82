"""Noise for captions: typos (adjacent letters swapped) to measure robustness, and token corruption (ids replaced by
UNK, neighbours swapped) to train for it."""

from __future__ import annotations

import numpy as np

from ganstudio.core.text.tokenizers import PAD, UNK


def with_typos(text: str, rng: np.random.Generator, rate: float = 0.05) -> str:
    """`text` with round(rate × letters) typos, at least one: each swaps two adjacent letters inside a word and
    changes the text ("rose" → "rsoe"; a pair of equal letters is never picked)."""
    chars = list(text)
    pairs = [i for i in range(len(chars) - 1)
             if chars[i].isalpha() and chars[i + 1].isalpha() and chars[i] != chars[i + 1]]
    if not pairs:
        return text
    letters = sum(c.isalpha() for c in chars)
    for i in rng.choice(pairs, size=min(len(pairs), max(1, round(rate * letters))), replace=False):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def corrupt_ids(ids: np.ndarray, rng: np.random.Generator, unk_rate: float, swap_rate: float,
                separator: int | None = None) -> np.ndarray:
    """A copy of padded id rows (n, L) where each word becomes UNK with probability unk_rate (all its tokens; words
    are single tokens, or runs between `separator` ids for characters) and each token trades places with its right
    neighbour with probability swap_rate (padding never moves). Teaches an encoder that an unknown word or a typo
    carries no meaning, rather than a wrong one."""
    out = ids.copy()
    real = out != PAD
    gap = np.zeros(out.shape, bool) if separator is None else out == separator
    word = np.arange(out.shape[1])[None, :].repeat(len(out), 0) if separator is None else np.cumsum(gap, axis=1)
    masked = np.take_along_axis(rng.random((len(out), out.shape[1] + 1)) < unk_rate, word, axis=1)
    out[real & ~gap & masked] = UNK
    swap = real[:, :-1] & real[:, 1:] & (rng.random((out.shape[0], out.shape[1] - 1)) < swap_rate)
    rows, cols = np.nonzero(swap)
    for r, c in zip(rows, cols):
        out[r, c], out[r, c + 1] = out[r, c + 1], out[r, c]
    return out

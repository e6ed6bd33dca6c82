"""The prompt band above the GAN-CLS preview's columns: words stay apart, long prompts wrap and are cut."""

from __future__ import annotations

import numpy as np

from ganstudio.core.captions.headers import LINES, WORD_GAP, with_column_headers


def _ink_columns(band: np.ndarray) -> np.ndarray:
    return (band.min(axis=(0, 2)) < 128).astype(int)


def _widest_blank_run(ink: np.ndarray) -> int:
    inside = np.flatnonzero(ink)
    runs, current = [], 0
    for value in ink[inside[0]:inside[-1] + 1]:
        current = 0 if value else current + 1
        runs.append(current)
    return max(runs)


def test_words_in_a_header_are_separated_by_a_visible_gap():
    grid = np.zeros((32, 200, 3), np.uint8)
    out = with_column_headers(grid, ["A dandelion."], columns=1)
    band = out[: out.shape[0] - 32]
    assert _widest_blank_run(_ink_columns(band)) >= WORD_GAP  # the gap between "A" and "dandelion."


def test_a_long_prompt_wraps_within_its_column_and_is_cut_after_the_last_line():
    grid = np.zeros((16, 2 * 40 + 2, 3), np.uint8)
    out = with_column_headers(grid, ["this is a very long prompt " * 6, "short"], columns=2)
    band = out[: out.shape[0] - 16]
    assert band.shape[0] <= LINES * 11 + 4 and out.shape[1] == grid.shape[1]
    assert _ink_columns(band)[:40].any() and _ink_columns(band)[42:].any()
    assert not (band[:, 40:42] < 128).any()  # column 0's text stays in its own column

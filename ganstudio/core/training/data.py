"""What the Trainer needs from a data set of any kind (images, classes, pairs, speech): one protocol, so the Trainer
never asks which kind it trains on. Batches are pure functions of (seed, step), so resume needs no pipeline state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import numpy as np


class TrainingData(Protocol):
    skipped: list[str]  # "file: reason" for every item that could not be read

    def __len__(self) -> int:
        """Items (images, pairs, recordings) the data set trains on."""

    def batches(self, start: int, stop: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(batch, int32 labels) for steps start … stop−1; labels are zeros where the data has none."""

    def preview_pool(self) -> np.ndarray:
        """Items to pick previews and reference grids from: held-out ones when the data set has them."""

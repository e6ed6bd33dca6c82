"""Deterministic batch order: the batch for step s is a pure function of (seed, s), so resume is exact and needs no
data-pipeline state in the checkpoint."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


class BatchSchedule:
    def __init__(self, n_items: int, batch_size: int, seed: int, flip: bool = False) -> None:
        if n_items < batch_size:
            raise ValueError(f"batch size {batch_size} is larger than the data set ({n_items} images)")
        self.n_items, self.batch_size, self.seed, self.flip = n_items, batch_size, seed, flip
        self.steps_per_epoch = n_items // batch_size  # the incomplete tail batch is dropped, as in the book
        self._cached_epoch = -1
        self._perm = np.empty(0, dtype=np.int64)
        self._flips = np.empty(0, dtype=bool)

    def _epoch(self, epoch: int) -> None:
        if epoch != self._cached_epoch:
            rng = np.random.default_rng([self.seed, epoch])
            self._perm = rng.permutation(self.n_items)  # a permutation, not randint (SPEC §16 #16)
            self._flips = rng.random(self.n_items) < 0.5
            self._cached_epoch = epoch

    def indices(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """Item indices of the batch for `step`, and which of them to mirror horizontally."""
        epoch, within = divmod(step, self.steps_per_epoch)
        self._epoch(epoch)
        sl = slice(within * self.batch_size, (within + 1) * self.batch_size)
        flips = self._flips[sl] if self.flip else np.zeros(self.batch_size, dtype=bool)
        return self._perm[sl], flips

    def batches(self, images: np.ndarray, labels: np.ndarray | None, start: int, stop: int) -> Iterator[tuple]:
        """Yield (uint8 images, int32 labels) for steps start … stop−1."""
        zeros = np.zeros(self.batch_size, dtype=np.int32)
        for step in range(start, stop):
            idx, flips = self.indices(step)
            batch = images[idx]
            if flips.any():
                batch[flips] = batch[flips, :, ::-1]
            yield batch, (labels[idx] if labels is not None else zeros)

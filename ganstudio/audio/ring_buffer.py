"""A preallocated single-producer single-consumer float32 ring buffer for the audio callback and its worker thread.

Lock-free by construction: only the writer advances `written`, only the reader advances `read_total`, each after
copying its samples, and Python int assignment is atomic, so the other side never sees a half-finished copy.
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    """Fixed-capacity float32 FIFO. Overruns drop the new samples that do not fit (unread data is never
    overwritten); underruns pad the read with zeros. Both are counted as events and as samples."""

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("a ring buffer needs a positive capacity")
        self.capacity = int(capacity)
        self._data = np.zeros(self.capacity, np.float32)
        self.written = 0      # total samples ever written (advanced by the writer only)
        self.read_total = 0   # total samples ever read (advanced by the reader only)
        self.overruns = self.overrun_samples = 0
        self.underruns = self.underrun_samples = 0

    @property
    def available(self) -> int:
        """Samples written and not yet read."""
        return self.written - self.read_total

    @property
    def free(self) -> int:
        return self.capacity - self.available

    def write(self, samples: np.ndarray) -> int:
        """Copy as many samples as fit; returns how many were stored. No allocation."""
        count = min(len(samples), self.free)
        if count < len(samples):
            self.overruns += 1
            self.overrun_samples += len(samples) - count
        self._copy_in(samples, count)
        self.written += count  # publish only after the copy
        return count

    def read_into(self, out: np.ndarray) -> int:
        """Fill `out` with the oldest samples, zeros for any shortfall (counted as an underrun); returns the number
        of real samples. No allocation."""
        count = min(len(out), self.available)
        self._copy_out(out, count)
        if count < len(out):
            out[count:] = 0.0
            self.underruns += 1
            self.underrun_samples += len(out) - count
        self.read_total += count
        return count

    def read_available(self, limit: int | None = None) -> np.ndarray:
        """A new array with everything readable now (at most `limit`); for the worker thread, never an underrun."""
        count = self.available if limit is None else min(limit, self.available)
        out = np.empty(count, np.float32)
        self._copy_out(out, count)
        self.read_total += count
        return out

    def _copy_in(self, samples: np.ndarray, count: int) -> None:
        start = self.written % self.capacity
        first = min(count, self.capacity - start)
        self._data[start: start + first] = samples[:first]
        self._data[: count - first] = samples[first:count]

    def _copy_out(self, out: np.ndarray, count: int) -> None:
        start = self.read_total % self.capacity
        first = min(count, self.capacity - start)
        out[:first] = self._data[start: start + first]
        out[first:count] = self._data[: count - first]

"""Loss history: per-step series that survive checkpoint/resume, plus smoothing for plots."""

from __future__ import annotations

import io
import math

import numpy as np


class LossHistory:
    """Append-only per-step values of named series (losses, grad norms). Truncatable to a checkpoint's step."""

    def __init__(self) -> None:
        self.steps: list[int] = []
        self.series: dict[str, list[float]] = {}

    def __len__(self) -> int:
        return len(self.steps)

    def append(self, step: int, values: dict[str, float]) -> None:
        for name in values.keys() - self.series.keys():
            self.series[name] = [float("nan")] * len(self.steps)  # a series that starts late is NaN-padded
        self.steps.append(step)
        for name, column in self.series.items():
            column.append(float(values.get(name, float("nan"))))

    def truncate(self, last_step: int) -> None:
        """Drop entries after `last_step` (used on rollback, so curves never double back)."""
        keep = int(np.searchsorted(np.asarray(self.steps), last_step, side="right"))
        del self.steps[keep:]
        for column in self.series.values():
            del column[keep:]

    def array(self, name: str) -> np.ndarray:
        return np.asarray(self.series.get(name, []), dtype=np.float64)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, steps=np.asarray(self.steps, dtype=np.int64), **{k: np.asarray(v) for k, v in self.series.items()})
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LossHistory:
        history = cls()
        with np.load(io.BytesIO(data)) as npz:
            history.steps = [int(s) for s in npz["steps"]]
            history.series = {k: [float(v) for v in npz[k]] for k in npz.files if k != "steps"}
        return history


def ema(values: np.ndarray, smoothing: float) -> np.ndarray:
    """Exponential moving average with TensorBoard-style debiasing; smoothing in [0, 1), 0 = raw. NaNs are skipped."""
    values = np.asarray(values, dtype=np.float64)
    if smoothing <= 0 or values.size == 0:
        return values
    out = []
    acc, weight = 0.0, 0.0
    for v in values.tolist():  # plain floats: ~10x faster than numpy scalars, and plots call this on every redraw
        if math.isfinite(v):
            acc = smoothing * acc + (1 - smoothing) * v
            weight = smoothing * weight + (1 - smoothing)
        out.append(acc / weight if weight > 0 else math.nan)
    return np.asarray(out, dtype=np.float64)

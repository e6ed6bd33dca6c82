"""A dependency-free terminal progress bar that redraws at most a few times a second."""

from __future__ import annotations

import sys
import time


def format_duration(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "--:--"
    seconds = int(seconds)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ProgressBar:
    def __init__(self, total: int, stream=None, width: int = 30, min_interval_s: float = 0.2) -> None:
        self.total, self.width, self.min_interval_s = max(1, total), width, min_interval_s
        self.stream = stream or sys.stderr
        self._last = 0.0

    def update(self, done: int, rate: float, suffix: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.min_interval_s:
            return
        self._last = now
        frac = min(1.0, done / self.total)
        bar = "█" * int(frac * self.width) + "·" * (self.width - int(frac * self.width))
        eta = (self.total - done) / rate if rate > 0 else float("inf")
        line = f"\r{bar} {done}/{self.total} {rate:6.1f}/s ETA {format_duration(eta)} {suffix}"
        self.stream.write(line[:160])
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()

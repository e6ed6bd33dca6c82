"""Framing and windowed overlap-add: the one implementation shared by whole-file denoising and live streaming.

`OverlapAdd` turns a stream of samples into (n, window) frames every `hop`, hands them in batches to a frame
processor and overlap-adds its output; `process_stream` / `process_signal` run whole clips through it, aligned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import numpy as np

# Live mode's frame lengths at 16 kHz (latency ≈ one window): the Denoise page offers these, the bench measures them.
LIVE_WINDOWS = {16384: "best quality", 4096: "balanced", 2048: "low latency", 1024: "lowest latency"}
DEFAULT_LIVE_WINDOW = 4096  # ~0.3 s: conversational; `ganstudio bench denoise` reports it without a suffix


class FrameProcessor(Protocol):
    """What the framer needs of a model: frames of `window` samples every `hop`, processed in batches."""

    window: int
    hop: int

    def process(self, frames: np.ndarray) -> np.ndarray: ...


class Cancelled(Exception):
    """Raised by `process_stream` / `process_signal` when their `cancel()` returned True."""


def synthesis_window(window: int, hop: int) -> np.ndarray:
    """A periodic Hann scaled so that copies shifted by `hop` sum to exactly 1.

    Why rectangular analysis × Hann synthesis (not sqrt-Hann on both sides): the model sees raw frames, exactly like
    the unwindowed slices it was trained on (a tapered input would be out of its training distribution and lose
    level at the edges), while the Hann cross-fade hides any disagreement between neighbouring frames' outputs, so
    there are no clicks at frame edges. A periodic Hann sums to the constant window/(2·hop) for any hop = window/k
    (k ≥ 2), so an identity processor reconstructs the input exactly.
    """
    if hop <= 0 or window % hop or window // hop < 2:
        raise ValueError(f"hop must divide the window into at least 2 parts (window={window}, hop={hop})")
    n = np.arange(window)
    hann = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / window)
    return hann * (2.0 * hop / window)


class OverlapAdd:
    """Streaming framer: `push` samples, get back the output samples that no later frame can still change.

    The stream is preceded by `window - hop` zeros so the very first input sample already lies under a full set of
    overlapping frames; output sample t is input sample t - latency_samples (the first latency_samples outputs
    belong to that lead-in). `max_batch` bounds how many frames go to `process_frames` in one call.
    """

    def __init__(self, window: int, hop: int, process_frames: Callable[[np.ndarray], np.ndarray],
                 max_batch: int | None = None) -> None:
        self.window, self.hop = int(window), int(hop)
        self._synthesis = synthesis_window(self.window, self.hop)
        self._process_frames = process_frames
        self._max_batch = max_batch
        self.reset()

    @property
    def latency_samples(self) -> int:
        return self.window - self.hop

    def reset(self) -> None:
        self._pending = np.zeros(self.latency_samples, np.float32)  # input not yet fully consumed by frames
        self._tail = np.zeros(self.latency_samples, np.float64)     # overlap sums beyond the finished output
        self._pushed = 0

    def push(self, samples: np.ndarray) -> np.ndarray:
        """Add input; return the float32 output finished so far (a multiple of hop samples, maybe empty)."""
        samples = np.asarray(samples, np.float32).reshape(-1)
        self._pushed += samples.size
        self._pending = np.concatenate([self._pending, samples])
        n_frames = (self._pending.size - self.window) // self.hop + 1 if self._pending.size >= self.window else 0
        if n_frames <= 0:
            return np.zeros(0, np.float32)
        out = [self._run_batch(start, min(n_frames, start + (self._max_batch or n_frames)))
               for start in range(0, n_frames, self._max_batch or n_frames)]
        self._pending = self._pending[n_frames * self.hop:].copy()
        return np.concatenate(out)

    def flush(self) -> np.ndarray:
        """End of stream: the rest of the output, so that all output = all input + latency_samples; then reset."""
        wanted = self._pushed + self.latency_samples
        produced = wanted - self._pending.size  # output finished so far (the pending input's outputs are not)
        rest = self.push(np.zeros(self.window, np.float32))
        self.reset()
        return rest[: max(0, wanted - produced)]

    def _run_batch(self, first: int, stop: int) -> np.ndarray:
        """Process frames [first, stop) of the pending buffer; return the hop·n output samples they finish."""
        n = stop - first
        starts = (first + np.arange(n)) * self.hop
        frames = self._pending[starts[:, None] + np.arange(self.window)]  # (n, window) copy, the model's batch
        processed = np.asarray(self._process_frames(frames), np.float32)
        if processed.shape != frames.shape:
            raise ValueError(f"the processor returned shape {processed.shape} for frames of shape {frames.shape}")
        acc = np.zeros((n - 1) * self.hop + self.window, np.float64)
        acc[: self._tail.size] += self._tail
        for i in range(n):
            acc[i * self.hop: i * self.hop + self.window] += processed[i] * self._synthesis
        self._tail = acc[n * self.hop:].copy()
        return acc[: n * self.hop].astype(np.float32)


def process_stream(blocks: Iterable[np.ndarray], processor: FrameProcessor, cancel: Callable[[], bool] | None = None,
                   batch: int = 8) -> Iterator[np.ndarray]:
    """Run a stream of sample blocks (e.g. a long file read block by block) through `processor`, aligned: the
    concatenated output has exactly the input's length and no delay. Raises Cancelled when `cancel()` is True."""
    framer = OverlapAdd(processor.window, processor.hop, processor.process, max_batch=batch)
    to_skip = framer.latency_samples  # the lead-in's outputs
    chunk = batch * processor.hop
    for block in blocks:
        block = np.asarray(block, np.float32).reshape(-1)
        for start in range(0, block.size, chunk):
            if cancel is not None and cancel():
                raise Cancelled()
            out = framer.push(block[start: start + chunk])
            dropped = min(to_skip, out.size)
            to_skip -= dropped
            if out.size > dropped:
                yield out[dropped:]
    rest = framer.flush()
    if rest.size > to_skip:
        yield rest[to_skip:]


def process_signal(samples: np.ndarray, processor: FrameProcessor, progress: Callable[[int, int], None] | None = None,
                   cancel: Callable[[], bool] | None = None, batch: int = 8) -> np.ndarray:
    """A whole clip through `processor`: float32, same length, aligned. `progress(done, total)` counts samples."""
    samples = np.asarray(samples, np.float32).reshape(-1)
    total = samples.size
    chunk = batch * processor.hop
    blocks = (samples[start: start + chunk] for start in range(0, total, chunk))
    pieces, done = [], 0
    for piece in process_stream(blocks, processor, cancel=cancel, batch=batch):
        pieces.append(piece)
        done += piece.size
        if progress is not None:
            progress(min(done, total), total)
    result = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    return result[:total]

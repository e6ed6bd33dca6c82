"""Simulated audio streams and a simulated clock, to test and benchmark real-time behaviour without a sound card.

`SimulatedStream` stands in for sounddevice's Stream / InputStream / OutputStream: `pump(n)` calls the callback with n
blocks of a source signal, instantly. `simulate_live` runs a LivePipeline for minutes of simulated audio in seconds.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ganstudio.audio.live import LivePipeline, planned_latency_ms
from ganstudio.audio.processor import Processor


class SimulatedStream:
    """A fake sounddevice stream. kind: "duplex" (callback(indata, outdata, frames, time, status)), "input"
    (callback(indata, frames, time, status)) or "output" (callback(outdata, frames, time, status)).

    `source` is looped as the microphone signal; `pump` returns what the callback played (duplex/output).
    `end_of_device()` imitates PortAudio ending the stream when a device is unplugged (finished_callback fires).
    """

    def __init__(self, kind: str = "duplex", callback: Callable | None = None, blocksize: int = 256,
                 samplerate: int = 16000, channels: int = 1, source: np.ndarray | None = None,
                 finished_callback: Callable[[], None] | None = None, **ignored) -> None:
        self.kind, self.callback, self.blocksize, self.samplerate = kind, callback, int(blocksize), samplerate
        self.channels, self.finished_callback, self.options = channels, finished_callback, ignored
        self._source = np.zeros(1, np.float32) if source is None else np.asarray(source, np.float32).reshape(-1)
        self._read = 0
        self.active = self.closed = False
        self.latency = 0.0
        self.blocks = 0

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active, self.closed = False, True

    def next_input(self) -> np.ndarray:
        block = self._source.take(np.arange(self._read, self._read + self.blocksize), mode="wrap")
        self._read += self.blocksize
        return np.repeat(block[:, None], self.channels, axis=1)

    def pump(self, blocks: int = 1, status: object = None) -> np.ndarray:
        """Call the callback `blocks` times; returns the concatenated output channel 0 (empty for input streams)."""
        played = []
        for _ in range(blocks):
            outdata = np.full((self.blocksize, self.channels), np.nan, np.float32)  # NaN shows unwritten output
            if self.kind == "duplex":
                self.callback(self.next_input(), outdata, self.blocksize, None, status)
            elif self.kind == "input":
                self.callback(self.next_input(), self.blocksize, None, status)
            else:
                self.callback(outdata, self.blocksize, None, status)
            self.blocks += 1
            if self.kind != "input":
                played.append(outdata[:, 0])
        return np.concatenate(played) if played else np.zeros(0, np.float32)

    def end_of_device(self) -> None:
        self.active = False
        if self.finished_callback is not None:
            self.finished_callback()


class SimulatedStreamFactory:
    """A stream_factory for LiveDenoiser / Recorder / Player that keeps the streams it opened (`last`)."""

    def __init__(self, kind: str = "duplex", source: np.ndarray | None = None, fail_with: Exception | None = None):
        self.kind, self.source, self.fail_with = kind, source, fail_with
        self.opened: list[SimulatedStream] = []

    @property
    def last(self) -> SimulatedStream:
        return self.opened[-1]

    def __call__(self, **kwargs) -> SimulatedStream:
        if self.fail_with is not None:
            raise self.fail_with
        stream = SimulatedStream(self.kind, source=self.source, **kwargs)
        self.opened.append(stream)
        return stream


@dataclass(frozen=True)
class SimulationReport:
    seconds: float             # simulated audio
    latency_ms: float          # measured end-to-end (algorithmic + buffering, grown by any underruns)
    planned_latency_ms: float  # what it would be without dropouts
    dropouts: int
    underruns: int
    overruns: int
    rtf: float                 # processing time charged / audio time processed
    wall_seconds: float        # real time the simulation took
    output: np.ndarray | None  # what was played, when keep_output=True


def simulate_live(processor: Processor, seconds: float = 600.0, block: int = 256, budget: float = 0.5,
                  source: np.ndarray | None = None, timer: Callable[[], float] = time.perf_counter,
                  keep_output: bool = False) -> SimulationReport:
    """Run live mode on a simulated clock, deterministically, without sleeping.

    The model: simulated time advances one block per callback. The worker is a virtual thread: when woken by a
    callback (or when it finishes while input is waiting) it runs one real processing step, and the step's
    measured compute time (`timer`, wall clock by default) is charged to the simulated clock — its output only
    reaches the output ring that much simulated time later, and the worker stays busy until then. So a processor
    that is slower than real time (or slower than the budget) underruns exactly as it would on a sound card, while
    a fast one runs a 10-minute stream in seconds. Device latency and OS scheduling jitter are not modelled; the
    budget's slack of one block is what absorbs them on real hardware.
    """
    pipeline = LivePipeline(processor, block, budget, timer)
    stream = SimulatedStream("duplex", pipeline.callback, block, pipeline.rate, source=_default_source(source, block))
    n_blocks = int(round(seconds * pipeline.rate / block))
    played = np.zeros(n_blocks * block if keep_output else 0, np.float32)
    worker = _VirtualWorker(pipeline)
    started = time.perf_counter()
    for n in range(n_blocks):
        now = (n + 1) * block  # simulated time of this callback, in samples
        worker.catch_up(now)
        worker.deliver_ready(now)
        out = stream.pump(1)
        if keep_output:
            played[n * block:(n + 1) * block] = out
        worker.wake(now)
    stats = pipeline.stats()
    return SimulationReport(seconds=n_blocks * block / pipeline.rate, latency_ms=stats.latency_ms,
                            planned_latency_ms=planned_latency_ms(processor.window, processor.hop, block, budget,
                                                                  pipeline.rate),
                            dropouts=stats.dropouts, underruns=stats.underruns, overruns=stats.overruns,
                            rtf=stats.rtf, wall_seconds=time.perf_counter() - started,
                            output=played if keep_output else None)


def _default_source(source: np.ndarray | None, block: int) -> np.ndarray:
    """One second of a tone plus noise (any signal would do: the simulation is about timing)."""
    if source is not None:
        return source
    t = np.arange(16000) / 16000.0
    noise = np.random.default_rng(0).standard_normal(t.size) * 0.05
    return (0.3 * np.sin(2 * np.pi * 220.0 * t) + noise).astype(np.float32)


class _VirtualWorker:
    """The processing thread, on simulated time: busy until `free_at`, its outputs held back until they are ready."""

    def __init__(self, pipeline: LivePipeline) -> None:
        self.pipeline = pipeline
        self.free_at = 0.0
        self.in_flight: deque[tuple[float, np.ndarray]] = deque()

    def wake(self, now: float) -> None:
        if self.free_at <= now:
            self._run(now)

    def catch_up(self, now: float) -> None:
        """Finished while input was waiting (it arrived while busy): it started again at once, not at `now`."""
        if self.free_at < now and self.pipeline.input.available:
            self._run(self.free_at)

    def deliver_ready(self, now: float) -> None:
        while self.in_flight and self.in_flight[0][0] <= now:
            self.pipeline.deliver(self.in_flight.popleft()[1])

    def _run(self, start: float) -> None:
        out = self.pipeline.process_available()
        self.free_at = start + self.pipeline.last_compute_seconds * self.pipeline.rate
        if out.size:
            self.in_flight.append((self.free_at, out))

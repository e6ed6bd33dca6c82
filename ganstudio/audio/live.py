"""Live denoising: microphone → processor → speakers through a duplex stream.

The stream callback only copies samples between the device and two preallocated ring buffers; a worker thread frames
the input, runs the processor with the shared overlap-add (core/speech/framing.py) and fills the output ring.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.audio.processor import Processor
from ganstudio.audio.recorder import LevelMeter, WavAppender
from ganstudio.audio.ring_buffer import RingBuffer
from ganstudio.core.errors import StudioError
from ganstudio.core.speech.framing import OverlapAdd


@dataclass(frozen=True)
class LiveStats:
    """What the live panel shows. Latency is end-to-end: algorithmic (framing) + buffering (+ device, if known)."""

    seconds: float          # audio streamed so far
    latency_ms: float
    algorithmic_ms: float   # window - hop: inherent to the framing
    rtf: float              # processing time / audio time processed (< 1 keeps up)
    underruns: int          # output blocks that had to be padded with silence
    overruns: int           # input blocks that did not fit (samples lost)
    dropouts: int           # underruns + overruns + the device's own over/underflow flags
    input_rms_db: float
    input_peak_db: float
    running: bool
    error: str | None


def prebuffer_samples(hop: int, block: int, budget: float) -> int:
    """Silence queued before the first output: one hop (output comes in hop-sized chunks, and a chunk can only be
    computed after the callback that completes its input) + the processing budget, rounded up to whole blocks."""
    wanted = hop + int(np.ceil(budget * hop))
    return -(-wanted // block) * block


def planned_latency_ms(window: int, hop: int, block: int = 256, budget: float = 0.5, rate: int = 16000) -> float:
    """End-to-end latency a live run will have without dropouts: (window - hop) + pre-buffer + one block."""
    return 1000.0 * (window - hop + prebuffer_samples(hop, block, budget) + block) / rate


class LivePipeline:
    """The thread-free core of live mode: rings, framer, callback, one processing step and the statistics.

    `budget` is the processing time allowed per hop, as a fraction of the hop's duration: with 0.5 the processor
    must turn each new frame around in half a hop, i.e. keep `stats().rtf` below 0.5 (one block of slack on top
    absorbs scheduling jitter). The callback starts on `prebuffer` zeros, so steady state never runs dry while
    processing stays within the budget; a larger budget buys safety with latency.
    """

    def __init__(self, processor: Processor, block: int = 256, budget: float = 0.5,
                 timer: Callable[[], float] = time.perf_counter, ring_seconds: float = 8.0) -> None:
        self.rate, self.block, self.timer = int(processor.rate), int(block), timer
        self.framer = OverlapAdd(processor.window, processor.hop, processor.process)
        self.prebuffer = prebuffer_samples(processor.hop, self.block, budget)
        ring = max(int(ring_seconds * self.rate), 4 * processor.window)
        self.input = RingBuffer(ring)
        self.output = RingBuffer(ring + self.prebuffer)
        self.output.write(np.zeros(self.prebuffer, np.float32))
        self.meter = LevelMeter()
        self._scratch = np.zeros(8 * self.block, np.float32)
        self.device_flags = 0          # over/underflows PortAudio reported in the callback status
        self.frames_seen = 0           # samples the device has exchanged with us
        self.compute_seconds = self.processed_seconds = self.last_compute_seconds = 0.0
        self.failed = False            # after a processor error the callback plays silence
        self.wake: Callable[[], None] = lambda: None

    def callback(self, indata: np.ndarray, outdata: np.ndarray, frames: int, time_info, status) -> None:
        """sounddevice duplex callback: copy in, copy out, count problems, wake the worker. No model, no waiting."""
        try:
            if status:
                self.device_flags += int(bool(getattr(status, "input_overflow", False)))
                self.device_flags += int(bool(getattr(status, "output_underflow", False)))
            if frames > self._scratch.size:
                self._scratch = np.zeros(frames, np.float32)  # only if the device changed its block size
            self.frames_seen += frames
            out = self._scratch[:frames]
            if self.failed:
                out.fill(0.0)
            else:
                self.input.write(indata[:, 0] if indata.ndim == 2 else indata)
                self.output.read_into(out)
            outdata[:] = out[:, None] if outdata.ndim == 2 else out
            self.wake()
        except Exception:  # never let the audio thread die: play silence and let the worker report
            outdata.fill(0)
            self.failed = True

    def process_available(self) -> np.ndarray:
        """Worker step: frame and process all input received so far; returns the finished output samples."""
        chunk = self.input.read_available()
        if chunk.size == 0:
            self.last_compute_seconds = 0.0
            return chunk
        self.meter.update(chunk)
        started = self.timer()
        out = self.framer.push(chunk)
        self.last_compute_seconds = self.timer() - started
        self.compute_seconds += self.last_compute_seconds
        self.processed_seconds += chunk.size / self.rate
        return out

    def deliver(self, out: np.ndarray) -> None:
        self.output.write(out)

    def latency_samples(self) -> int:
        """Measured delay: each output underrun delays everything after it, each lost input block shortens it."""
        shift = self.output.underrun_samples - self.input.overrun_samples
        return self.framer.latency_samples + self.prebuffer + self.block + shift

    def stats(self, running: bool = True, error: str | None = None, device_latency_s: float = 0.0) -> LiveStats:
        rms_db, peak_db = self.meter.level
        under, over = self.output.underruns, self.input.overruns
        return LiveStats(
            seconds=self.frames_seen / self.rate,
            latency_ms=1000.0 * (self.latency_samples() / self.rate + device_latency_s),
            algorithmic_ms=1000.0 * self.framer.latency_samples / self.rate,
            rtf=self.compute_seconds / self.processed_seconds if self.processed_seconds else 0.0,
            underruns=under, overruns=over, dropouts=under + over + self.device_flags,
            input_rms_db=rms_db, input_peak_db=peak_db, running=running, error=error)


class LiveDenoiser:
    """Runs a LivePipeline on a duplex stream with a worker thread; optionally tees the output to a WAV file.

    `stream_factory(**kwargs)` opens a sounddevice-like duplex stream (default: sounddevice.Stream); tests pass a
    simulated one. A processor exception stops live mode and is reported via `error`, `stats()` and `on_error`
    (called on the worker thread: a Qt caller forwards it with a signal).
    """

    def __init__(self, processor: Processor, stream_factory: Callable[..., object] | None = None, block: int = 256,
                 budget: float = 0.5, sink_path: str | Path | None = None, device: object = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 timer: Callable[[], float] = time.perf_counter) -> None:
        self.processor, self.block, self.budget = processor, int(block), float(budget)
        self.sink_path = Path(sink_path) if sink_path else None
        self.device, self.on_error, self.timer = device, on_error, timer
        self._stream_factory = stream_factory
        self.pipeline = LivePipeline(processor, self.block, self.budget, timer)
        self.error: BaseException | None = None
        self._stream = self._sink = self._thread = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._close_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self.error is None

    def start(self) -> None:
        """Open the stream and start the worker; raises StudioError when the devices cannot be opened."""
        if self._thread is not None:
            raise RuntimeError("a LiveDenoiser runs once; make a new one to start again")
        self.pipeline.wake = self._wake.set
        if self.sink_path is not None:
            self._sink = WavAppender(self.sink_path, self.pipeline.rate)
        try:
            self._stream = self._open_stream()
            self._thread = threading.Thread(target=self._work, name="live-denoise", daemon=True)
            self._thread.start()
            self._stream.start()
        except Exception as err:
            self.stop()
            if self.sink_path is not None:
                self.sink_path.unlink(missing_ok=True)  # nothing was played: leave no empty file behind
            if isinstance(err, StudioError):
                raise
            raise StudioError(f"Live mode could not start the sound devices ({err}).",
                              "Pick other devices, or close programs that use them, then try again.") from err

    def stop(self) -> Path | None:
        """Stop the stream, join the worker, close the file sink; returns the sink's path (None without one)."""
        self._stop.set()
        self._wake.set()
        self._close_stream()
        if self._thread is not None:
            self._thread.join()
        self._close_sink()
        return self.sink_path

    def stats(self) -> LiveStats:
        latency = getattr(self._stream, "latency", 0.0) or 0.0
        device_latency = float(sum(latency)) if isinstance(latency, (tuple, list)) else float(latency)
        error = f"Live denoising stopped: {self.error}" if self.error is not None else None
        return self.pipeline.stats(self.running, error, device_latency)

    def _open_stream(self):
        factory = self._stream_factory
        if factory is None:
            from ganstudio.audio.devices import stream_factory
            factory = stream_factory("duplex")
        kwargs = dict(samplerate=self.pipeline.rate, blocksize=self.block, channels=1, dtype="float32",
                      callback=self.pipeline.callback)
        if self.device is not None:
            kwargs["device"] = self.device
        return factory(**kwargs)

    def _work(self) -> None:
        to_skip = self.pipeline.framer.latency_samples  # the sink file starts aligned with the microphone
        try:
            while not self._stop.is_set() and not self.pipeline.failed:
                self._wake.wait(0.1)
                self._wake.clear()
                out = self.pipeline.process_available()
                if out.size and self._sink is not None:
                    skipped = min(to_skip, out.size)
                    to_skip -= skipped
                    self._sink.write(out[skipped:])
                self.pipeline.deliver(out)
            if self.pipeline.failed and self.error is None:
                raise RuntimeError("the audio callback failed")
        except Exception as err:  # a processor or disk error: stop live mode, keep the app alive, tell the user
            self._fail(err)

    def _fail(self, err: BaseException) -> None:
        self.error = err
        self.pipeline.failed = True
        self._close_stream()
        self._close_sink()
        if self.on_error is not None:
            self.on_error(err)

    def _close_stream(self) -> None:
        with self._close_lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            for method in ("stop", "close"):
                try:
                    getattr(stream, method)()
                except Exception:  # a device that vanished cannot be stopped twice; nothing left to save there
                    pass

    def _close_sink(self) -> None:
        with self._close_lock:
            sink, self._sink = self._sink, None
        if sink is not None:
            sink.close()

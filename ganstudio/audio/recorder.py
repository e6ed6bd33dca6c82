"""Recording the microphone straight to a WAV file on disk, so a crash or an unplugged device keeps what was heard.

Also the two pieces live mode shares: the level meter and the WAV appender (a file written as audio arrives).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ganstudio.audio.ring_buffer import RingBuffer
from ganstudio.core.atomic import disk_error
from ganstudio.core.errors import StudioError

SILENCE_DB = -100.0


class LevelMeter:
    """RMS and peak of the latest chunk in dBFS, for a meter redrawn by the UI at its own pace."""

    def __init__(self) -> None:
        self.level = (SILENCE_DB, SILENCE_DB)  # one tuple, replaced whole, so a reader never sees a torn pair

    def update(self, samples: np.ndarray) -> None:
        if samples.size == 0:
            return
        rms = float(np.sqrt(np.dot(samples, samples) / samples.size))
        peak = max(float(samples.max()), -float(samples.min()))
        self.level = (_db(rms), _db(peak))


def _db(value: float) -> float:
    return max(SILENCE_DB, 20.0 * float(np.log10(value))) if value > 0 else SILENCE_DB


class WavAppender:
    """A 16-bit mono WAV that grows as samples arrive. Not atomic on purpose: a recording must survive a crash, so
    the data and the header are brought up to date on disk every `flush_every_s` seconds of audio."""

    def __init__(self, path: str | Path, rate: int, flush_every_s: float = 1.0) -> None:
        import soundfile

        self.path, self.rate = Path(path), int(rate)
        self.frames = 0
        self._flush_every = max(1, int(flush_every_s * rate))
        self._unflushed = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = soundfile.SoundFile(str(self.path), "w", samplerate=self.rate, channels=1,
                                             subtype="PCM_16", format="WAV")
        except OSError as err:
            raise disk_error(err, self.path) from err
        except RuntimeError as err:  # libsndfile's own errors (LibsndfileError)
            raise StudioError(f"Could not create {self.path}: {err}.", "Choose another folder or file name.") from err

    def write(self, samples: np.ndarray) -> None:
        if samples.size == 0:
            return
        try:
            self._file.write(np.clip(samples, -1.0, 1.0))
        except (OSError, RuntimeError) as err:
            raise StudioError(f"Writing {self.path} failed ({err}); the audio before this point is saved.",
                              "Free some disk space or choose another folder.") from err
        self.frames += samples.size
        self._unflushed += samples.size
        if self._unflushed >= self._flush_every:
            self.flush()

    def flush_pending(self) -> None:
        """Flush only when samples were written since the last flush (cheap to call whenever the writer is idle)."""
        if self._unflushed:
            self.flush()

    def flush(self) -> None:
        """Push the samples and an up-to-date header to disk (readers other than libsndfile trust the header)."""
        self._unflushed = 0
        try:
            import soundfile

            soundfile._snd.sf_command(self._file._file, 0x1060, soundfile._ffi.NULL, 0)  # SFC_UPDATE_HEADER_NOW
        except Exception:  # a private libsndfile hook; without it libsndfile still reads the file by its size
            pass
        self._file.flush()

    def close(self) -> None:
        try:
            self._file.close()  # writes the final header
        except (OSError, RuntimeError):
            pass  # the disk failed: what was flushed before is what we have


class Recorder:
    """Records an input stream into a ring buffer; a writer thread appends it to `path` as it goes.

    `stream_factory(**kwargs)` opens a sounddevice-like InputStream (default: sounddevice.InputStream). A device that
    stops delivering audio (unplugged: PortAudio ends the stream or just goes quiet for `stall_seconds`) ends the
    recording with `error` set; the samples recorded so far stay in the file.
    """

    def __init__(self, path: str | Path, stream_factory: Callable[..., object] | None = None, rate: int = 16000,
                 block: int = 1024, device: object = None, stall_seconds: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path, self.rate, self.block, self.device = Path(path), int(rate), int(block), device
        self.stall_seconds, self.clock = stall_seconds, clock
        self._stream_factory = stream_factory
        self.ring = RingBuffer(self.rate * 30)  # 30 s of slack if the disk stalls
        self.meter = LevelMeter()
        self.device_overflows = 0
        self.error: StudioError | None = None
        self._appender: WavAppender | None = None
        self._stream = self._thread = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._device_ended = False
        self._close_lock = threading.Lock()

    @property
    def elapsed_seconds(self) -> float:
        """Audio captured so far (what the file will hold once the writer catches up)."""
        return self.ring.written / self.rate

    @property
    def level(self) -> tuple[float, float]:
        """(rms_db, peak_db) of the latest audio."""
        return self.meter.level

    @property
    def recording(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def dropouts(self) -> int:
        return self.ring.overruns + self.device_overflows

    def start(self) -> None:
        """Create the file and open the stream; raises StudioError (and leaves no stream open) when either fails."""
        self._appender = WavAppender(self.path, self.rate)
        try:
            self._stream = self._open_stream()
            self._thread = threading.Thread(target=self._write_loop, name="recorder", daemon=True)
            self._thread.start()
            self._stream.start()
        except Exception as err:
            self.stop()
            self.path.unlink(missing_ok=True)  # nothing was recorded: leave no empty file behind
            if isinstance(err, StudioError):
                raise
            raise StudioError(f"The input device could not start recording ({err}).",
                              "Check that the microphone is plugged in and not used by another program.") from err

    def stop(self) -> Path:
        """Stop recording and close the file; returns its path. Safe to call after a device error."""
        self._close_stream()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        else:
            self._drain()
        if self._appender is not None:
            self._appender.close()
            self._appender = None
        return self.path

    def callback(self, indata: np.ndarray, frames: int, time_info, status) -> None:
        """sounddevice input callback: copy into the ring, count the device's overflows, wake the writer."""
        if status and getattr(status, "input_overflow", False):
            self.device_overflows += 1
        self.ring.write(indata[:, 0] if indata.ndim == 2 else indata)
        self._wake.set()

    def _open_stream(self):
        factory = self._stream_factory
        if factory is None:
            from ganstudio.audio.devices import stream_factory
            factory = stream_factory("input")
        kwargs = dict(samplerate=self.rate, blocksize=self.block, channels=1, dtype="float32",
                      callback=self.callback, finished_callback=self._on_stream_finished)
        if self.device is not None:
            kwargs["device"] = self.device
        return factory(**kwargs)

    def _on_stream_finished(self) -> None:
        """PortAudio ended the stream: after our stop() that is expected, otherwise the device went away."""
        if not self._stop.is_set():
            self._device_ended = True
            self._wake.set()

    def _write_loop(self) -> None:
        last_audio = self.clock()
        try:
            while not self._stop.is_set():
                self._wake.wait(0.1)
                self._wake.clear()
                if self._drain():
                    last_audio = self.clock()
                    continue
                # Caught up with the device: bring the header up to date now, so the file on disk reads as long
                # as the recording (a burst of audio can leave up to `flush_every_s` unflushed until the next one).
                if self._appender is not None:
                    self._appender.flush_pending()
                if self._device_ended or self.clock() - last_audio > self.stall_seconds:
                    self._report_device_lost()
                    return
        except StudioError as err:
            self.error = err
        finally:
            self._drain_quietly()

    def _drain(self) -> int:
        """Append everything captured so far to the file; returns the number of samples written."""
        chunk = self.ring.read_available()
        if chunk.size and self._appender is not None:
            self.meter.update(chunk)
            self._appender.write(chunk)
        return chunk.size

    def _drain_quietly(self) -> None:
        try:
            self._drain()
            if self._appender is not None:
                self._appender.flush()
        except StudioError as err:
            self.error = self.error or err

    def _report_device_lost(self) -> None:
        seconds = self._appender.frames / self.rate if self._appender is not None else 0.0
        self.error = StudioError(
            f"The input device stopped sending sound (unplugged?). The {seconds:.1f} s recorded so far are saved "
            f"in {self.path}.", "Plug the microphone back in and record again; the saved part stays on disk.")
        self._close_stream()

    def _close_stream(self) -> None:
        with self._close_lock:  # stop() and the writer (device lost) may both get here
            stream, self._stream = self._stream, None
        if stream is not None:
            for method in ("stop", "close"):
                try:
                    getattr(stream, method)()
                except Exception:  # the device is gone; the recording is already on disk
                    pass

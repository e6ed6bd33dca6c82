"""The realtime engine with fake streams and fake processors: ring buffer, processors, the live loop on a simulated
clock (latency, dropouts) and on a real worker thread (alignment, file sink, errors, clean stop)."""

from __future__ import annotations

import threading
import time
import wave

import numpy as np
import pytest
import soundfile

from ganstudio.audio.live import LiveDenoiser, LivePipeline, planned_latency_ms, prebuffer_samples
from ganstudio.audio.processor import BlendProcessor, GainProcessor, IdentityProcessor
from ganstudio.audio.ring_buffer import RingBuffer
from ganstudio.audio.simulated import SimulatedStreamFactory, simulate_live
from ganstudio.core.errors import StudioError

RATE = 16000


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the worker thread"
        time.sleep(0.002)


def tone(n: int) -> np.ndarray:
    t = np.arange(n) / RATE
    return (0.5 * np.sin(2 * np.pi * 440.0 * t) + 0.1 * np.sin(2 * np.pi * 97.0 * t)).astype(np.float32)


class FakeTimer:
    """A clock that only moves when a fake processor says how long its work 'took'."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CostlyProcessor(IdentityProcessor):
    """Identity whose compute time is `rtf` × the audio it is handed per frame hop, charged to a fake timer (or
    really slept when no timer is given)."""

    def __init__(self, rtf: float, window: int, hop: int, timer: FakeTimer | None = None) -> None:
        super().__init__(window, hop, RATE)
        self.rtf, self.timer = rtf, timer

    def process(self, frames):
        cost = self.rtf * len(frames) * self.hop / self.rate
        if self.timer is None:
            time.sleep(cost)
        else:
            self.timer.now += cost
        return frames


# --- ring buffer -------------------------------------------------------------------------------------------------

def test_ring_buffer_wraps_and_keeps_order():
    ring = RingBuffer(10)
    out = np.empty(4, np.float32)
    for start in range(0, 40, 4):
        assert ring.write(np.arange(start, start + 4, dtype=np.float32)) == 4
        assert ring.read_into(out) == 4
        np.testing.assert_array_equal(out, np.arange(start, start + 4))
    assert ring.overruns == ring.underruns == 0


def test_ring_buffer_counts_overruns_and_keeps_unread_data():
    ring = RingBuffer(8)
    ring.write(np.arange(6, dtype=np.float32))
    assert ring.write(np.arange(100, 105, dtype=np.float32)) == 2  # only 2 fit; unread data is never overwritten
    assert (ring.overruns, ring.overrun_samples) == (1, 3)
    np.testing.assert_array_equal(ring.read_available(), [0, 1, 2, 3, 4, 5, 100, 101])


def test_ring_buffer_underrun_pads_with_zeros_and_counts():
    ring = RingBuffer(8)
    ring.write(np.ones(3, np.float32))
    out = np.full(5, 7.0, np.float32)
    assert ring.read_into(out) == 3
    np.testing.assert_array_equal(out, [1, 1, 1, 0, 0])
    assert (ring.underruns, ring.underrun_samples) == (1, 2)
    assert ring.read_available().size == 0 and ring.underruns == 1  # the worker's read never underruns


# --- processors --------------------------------------------------------------------------------------------------

def test_blend_processor_mixes_and_changes_strength_while_running():
    frames = np.ones((2, 8), np.float32)
    blend = BlendProcessor(GainProcessor(0.0, window=8, hop=4), strength=1.0)
    assert (blend.window, blend.hop, blend.rate) == (8, 4, 16000)
    np.testing.assert_allclose(blend.process(frames), 0.0)
    setter = threading.Thread(target=lambda: setattr(blend, "strength", 0.25))
    setter.start()
    setter.join()
    np.testing.assert_allclose(blend.process(frames), 0.75)  # 25 % denoised (0) + 75 % original (1)
    blend.strength = 7
    assert blend.strength == 1.0
    blend.strength = -1
    np.testing.assert_allclose(blend.process(frames), 1.0)


# --- live loop on the simulated clock ------------------------------------------------------------------------------

@pytest.mark.parametrize("window,hop", [(16384, 8192), (2048, 1024)])
def test_fast_processor_streams_without_dropouts_at_the_planned_latency(window, hop):
    timer = FakeTimer()  # charged compute time, not the wall clock: see the next test
    report = simulate_live(CostlyProcessor(0.05, window, hop, timer), seconds=60.0, block=256, budget=0.5, timer=timer)
    assert report.dropouts == 0
    assert report.latency_ms == pytest.approx(planned_latency_ms(window, hop, 256, 0.5))
    assert report.latency_ms == pytest.approx(1000.0 * (window + hop // 2 + 256) / RATE)
    assert report.rtf == pytest.approx(0.05, rel=0.01)


def test_ten_simulated_minutes_run_in_seconds_without_dropouts():
    # Compute time is charged by a fake clock: on a loaded test machine one wall-clock stall of the OS would read as
    # a dropout (`ganstudio bench denoise` measures the real thing).
    timer = FakeTimer()
    report = simulate_live(CostlyProcessor(0.05, 2048, 1024, timer), seconds=600.0, timer=timer)
    assert report.seconds == pytest.approx(600.0, abs=0.02)
    assert report.dropouts == 0 and report.latency_ms == pytest.approx(176.0)
    assert report.wall_seconds < 60.0


def test_simulated_output_is_the_input_delayed_by_the_latency():
    source = tone(RATE)
    report = simulate_live(GainProcessor(0.5, 2048, 1024), seconds=3.0, source=source, keep_output=True)
    delay = 2048 - 1024 + prebuffer_samples(1024, 256, 0.5)
    heard = np.tile(source, 4)[: report.output.size - delay]
    np.testing.assert_allclose(report.output[delay:], 0.5 * heard, atol=1e-6)
    np.testing.assert_array_equal(report.output[:delay - (2048 - 1024)], 0.0)  # the pre-buffer plays silence


@pytest.mark.parametrize("rtf,expect_dropouts", [(0.3, False), (0.9, True), (1.5, True)])
def test_charged_compute_time_decides_dropouts(rtf, expect_dropouts):
    timer = FakeTimer()
    report = simulate_live(CostlyProcessor(rtf, 2048, 1024, timer), seconds=20.0, budget=0.5, timer=timer)
    assert (report.dropouts > 0) == expect_dropouts
    assert report.rtf == pytest.approx(rtf, rel=0.01)
    if expect_dropouts:
        assert report.latency_ms > report.planned_latency_ms  # every underrun pushes the output later


def test_a_really_slow_processor_drops_out_on_the_wall_clock():
    report = simulate_live(CostlyProcessor(1.5, 512, 256), seconds=0.8, block=128)  # sleeps 24 ms per 16 ms hop
    assert report.underruns > 0 and report.dropouts >= report.underruns
    assert report.rtf > 1.0


def test_pipeline_callback_handles_stereo_devices_and_counts_device_flags():
    pipeline = LivePipeline(IdentityProcessor(1024, 512), block=256)

    class Flags:
        input_overflow, output_underflow = True, False

        def __bool__(self):
            return True

    indata = np.ones((256, 2), np.float32)
    outdata = np.full((256, 2), np.nan, np.float32)
    pipeline.callback(indata, outdata, 256, None, Flags())
    np.testing.assert_array_equal(outdata, 0.0)  # pre-buffer silence on both channels
    assert pipeline.input.available == 256 and pipeline.stats().dropouts == 1


# --- live loop on a real worker thread ------------------------------------------------------------------------------

def pump_in_step(denoiser: LiveDenoiser, stream, blocks: int) -> np.ndarray:
    """Pump one block at a time, waiting for the worker like a real-time device would wait for the next period."""
    pipeline, hop, played = denoiser.pipeline, denoiser.processor.hop, []
    for _ in range(blocks):
        played.append(stream.pump(1))
        expected = pipeline.prebuffer + pipeline.input.written // hop * hop
        wait_until(lambda: pipeline.output.written >= expected or denoiser.error is not None)
    return np.concatenate(played)


def test_live_denoiser_thread_aligns_output_and_tees_it_to_a_wav(tmp_path):
    source = tone(RATE)
    factory = SimulatedStreamFactory("duplex", source=source)
    sink = tmp_path / "live" / "denoised.wav"
    denoiser = LiveDenoiser(GainProcessor(0.5, 2048, 1024), factory, block=256, sink_path=sink)
    denoiser.start()
    stream = factory.last
    assert stream.active and stream.blocksize == 256 and stream.samplerate == RATE
    played = pump_in_step(denoiser, stream, 200)
    stats = denoiser.stats()
    assert stats.running and stats.dropouts == 0 and stats.error is None
    assert stats.latency_ms == pytest.approx(planned_latency_ms(2048, 1024))
    assert stats.input_peak_db == pytest.approx(20 * np.log10(0.6), abs=0.5)
    assert denoiser.stop() == sink
    assert not denoiser.running and stream.closed and not denoiser._thread.is_alive()
    delay = 1024 + denoiser.pipeline.prebuffer
    heard = np.tile(source, 4)
    np.testing.assert_allclose(played[delay:], 0.5 * heard[: played.size - delay], atol=1e-6)
    written, rate = soundfile.read(str(sink), dtype="float32")
    assert rate == RATE and written.size >= 200 * 256 - 2048
    np.testing.assert_allclose(written, 0.5 * heard[: written.size], atol=2.0 / 32768)
    with wave.open(str(sink)) as w:
        assert w.getnframes() == written.size


def test_processor_error_stops_live_mode_but_never_the_callback():
    class Exploding(IdentityProcessor):
        def __init__(self):
            super().__init__(1024, 512)
            self.calls = 0

        def process(self, frames):
            self.calls += 1
            if self.calls > 3:
                raise ValueError("model blew up")
            return frames

    errors = []
    factory = SimulatedStreamFactory("duplex", source=tone(4096))
    denoiser = LiveDenoiser(Exploding(), factory, block=256, on_error=errors.append)
    denoiser.start()
    stream = factory.last
    pump_in_step(denoiser, stream, 40)
    wait_until(lambda: errors)
    assert isinstance(denoiser.error, ValueError) and errors == [denoiser.error]
    stats = denoiser.stats()
    assert not stats.running and "model blew up" in stats.error
    assert stream.closed  # live mode stopped itself
    np.testing.assert_array_equal(stream.pump(3), 0.0)  # a late callback still answers, with silence
    denoiser.stop()
    assert not denoiser._thread.is_alive()


def test_a_device_that_cannot_open_is_reported_and_nothing_is_left_running(tmp_path):
    factory = SimulatedStreamFactory(fail_with=StudioError("The input/output devices could not be opened.", "x"))
    denoiser = LiveDenoiser(IdentityProcessor(1024, 512), factory, sink_path=tmp_path / "sink.wav")
    with pytest.raises(StudioError, match="could not be opened"):
        denoiser.start()
    assert denoiser._thread is None and denoiser.stop() == tmp_path / "sink.wav"
    assert not (tmp_path / "sink.wav").exists()


def test_a_raw_stream_error_on_start_becomes_a_studio_error():
    class Refusing(SimulatedStreamFactory):
        def __call__(self, **kwargs):
            stream = super().__call__(**kwargs)
            stream.start = lambda: (_ for _ in ()).throw(RuntimeError("Invalid number of channels"))
            return stream

    factory = Refusing("duplex")
    denoiser = LiveDenoiser(IdentityProcessor(1024, 512), factory)
    with pytest.raises(StudioError, match="could not start the sound devices"):
        denoiser.start()
    assert factory.last.closed and not denoiser._thread.is_alive()


def test_stop_without_audio_joins_promptly():
    factory = SimulatedStreamFactory("duplex")
    denoiser = LiveDenoiser(IdentityProcessor(1024, 512), factory)
    denoiser.start()
    started = time.monotonic()
    denoiser.stop()
    assert time.monotonic() - started < 2.0 and not denoiser._thread.is_alive()
    assert factory.last.closed

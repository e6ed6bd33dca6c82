"""Devices (listing, missing PortAudio, no microphone), the recorder (writes as it goes, survives a lost device) and
the A/B player, with fake sounddevice modules and simulated streams."""

from __future__ import annotations

import time
import types
import wave

import numpy as np
import pytest
import soundfile

from ganstudio.audio import devices
from ganstudio.audio.player import Player
from ganstudio.audio.recorder import Recorder
from ganstudio.audio.simulated import SimulatedStream, SimulatedStreamFactory
from ganstudio.core.errors import StudioError

RATE = 16000


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the writer thread"
        time.sleep(0.002)


def fake_sounddevice(device_infos: list[dict], default=(-1, -1), stream_error: Exception | None = None):
    def stream_class(**kwargs):
        if stream_error is not None:
            raise stream_error
        return SimulatedStream("duplex", **kwargs)

    return types.SimpleNamespace(
        query_devices=lambda: device_infos, default=types.SimpleNamespace(device=list(default)),
        query_hostapis=lambda: [{"name": "ALSA"}, {"name": "PulseAudio"}],
        Stream=stream_class, InputStream=stream_class, OutputStream=stream_class)


def info(name: str, inputs: int, outputs: int, hostapi: int = 0) -> dict:
    return {"name": name, "hostapi": hostapi, "max_input_channels": inputs, "max_output_channels": outputs,
            "default_samplerate": 48000.0}


# --- devices ---------------------------------------------------------------------------------------------------

def test_devices_are_listed_with_defaults_first():
    sd = fake_sounddevice([info("HDMI", 0, 8), info("USB mic", 1, 0, 1), info("Headset", 1, 2)], default=(2, 2))
    listed = devices.list_devices(sd)
    assert [d.name for d in listed] == ["HDMI", "USB mic", "Headset"]
    assert listed[1].hostapi == "PulseAudio" and listed[1].default_samplerate == 48000.0
    assert [d.name for d in devices.input_devices(sd)] == ["Headset", "USB mic"]
    assert [d.name for d in devices.output_devices(sd)] == ["Headset", "HDMI"]
    assert "(default)" in devices.input_devices(sd)[0].label


def test_no_microphone_and_no_speaker_are_explained():
    sd = fake_sounddevice([info("HDMI", 0, 2)])
    with pytest.raises(StudioError, match="No microphone") as caught:
        devices.input_devices(sd)
    assert "Plug in a microphone" in caught.value.hint
    with pytest.raises(StudioError, match="No speakers"):
        devices.output_devices(fake_sounddevice([]))


def test_missing_portaudio_says_how_to_install_it(monkeypatch):
    def no_portaudio(name):
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(devices, "_import_module", no_portaudio)
    with pytest.raises(StudioError, match="PortAudio") as caught:
        devices.list_devices()
    assert "libportaudio2" in caught.value.hint
    with pytest.raises(StudioError, match="PortAudio"):
        devices.stream_factory("duplex")(samplerate=RATE)


def test_the_real_sounddevice_lists_without_crashing():
    try:
        found = devices.list_devices()
    except StudioError as err:  # a machine without PortAudio must say so, not crash
        assert "PortAudio" in str(err)
    else:
        assert all(isinstance(d, devices.AudioDevice) for d in found)


def test_a_device_refusing_to_open_becomes_a_studio_error():
    sd = fake_sounddevice([info("mic", 1, 1)], stream_error=ValueError("Invalid sample rate"))
    with pytest.raises(StudioError, match="16000 Hz mono.*Invalid sample rate"):
        devices.stream_factory("input", sd)(samplerate=RATE, channels=1)
    assert isinstance(devices.stream_factory("output", fake_sounddevice([]))(samplerate=RATE), SimulatedStream)


# --- recorder --------------------------------------------------------------------------------------------------

def sine(n: int, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * 300.0 * np.arange(n) / RATE)).astype(np.float32)


def test_recorder_writes_the_microphone_to_disk_as_it_goes(tmp_path):
    source = sine(RATE)
    factory = SimulatedStreamFactory("input", source=source)
    recorder = Recorder(tmp_path / "takes" / "take.wav", factory, block=1000)
    recorder.start()
    stream = factory.last
    stream.pump(24)  # 1.5 s
    assert recorder.elapsed_seconds == pytest.approx(1.5)
    wait_until(lambda: recorder._appender is not None and recorder._appender.frames == 24000)
    with wave.open(str(recorder.path)) as w:  # mid-recording, the header already counts the flushed second
        assert w.getnframes() >= RATE and w.getframerate() == RATE and w.getsampwidth() == 2
    rms_db, peak_db = recorder.level
    assert peak_db == pytest.approx(20 * np.log10(0.5), abs=0.1)
    assert rms_db == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.3)
    stream.pump(8)
    path = recorder.stop()
    assert stream.closed and not recorder.recording and recorder.error is None
    samples, rate = soundfile.read(str(path), dtype="float32")
    np.testing.assert_allclose(samples, np.tile(source, 2)[:32000], atol=1.0 / 32768 + 1e-6)


def test_once_the_writer_has_caught_up_the_header_counts_every_sample(tmp_path):
    # Blocks that reach the writer one by one leave less than the flush interval unflushed after the last full
    # second: the header must still come up to date when the writer goes idle, not only a second of audio later.
    factory = SimulatedStreamFactory("input", source=sine(RATE))
    recorder = Recorder(tmp_path / "take.wav", factory, block=1000, stall_seconds=600)  # closing would also do it
    recorder.start()
    for _ in range(20):  # 1.25 s, one block at a time, each drained before the next arrives
        factory.last.pump(1)
        wait_until(lambda: recorder._appender is not None and recorder._appender.frames == recorder.ring.written)
    wait_until(lambda: soundfile.info(str(recorder.path)).frames == 20000)
    recorder.stop()
    assert soundfile.info(str(recorder.path)).frames == 20000


def test_unplugged_device_keeps_what_was_recorded(tmp_path):
    factory = SimulatedStreamFactory("input", source=sine(RATE))
    recorder = Recorder(tmp_path / "take.wav", factory, block=1000)
    recorder.start()
    factory.last.pump(10)
    factory.last.end_of_device()  # PortAudio ends the stream: the USB microphone was pulled out
    wait_until(lambda: recorder.error is not None)
    assert "stopped sending sound" in str(recorder.error) and "0.6 s" in str(recorder.error)
    wait_until(lambda: not recorder.recording)
    assert recorder.stop() == tmp_path / "take.wav"
    assert soundfile.info(str(tmp_path / "take.wav")).frames == 10000


def test_a_device_that_goes_quiet_is_detected_and_stop_survives_a_dead_stream(tmp_path):
    class DeadOnStop(SimulatedStream):
        def stop(self):
            raise RuntimeError("PortAudio: device unavailable")

    recorder = Recorder(tmp_path / "take.wav", lambda **kw: DeadOnStop("input", source=sine(500), **kw),
                        block=500, stall_seconds=0.3)
    recorder.start()
    recorder._stream.pump(4)
    wait_until(lambda: recorder.error is not None)  # no audio for 0.3 s: the device is gone
    assert "saved" in str(recorder.error)
    recorder.stop()
    assert soundfile.info(str(tmp_path / "take.wav")).frames == 2000


def test_input_overflow_flags_are_counted_and_recording_goes_on(tmp_path):
    factory = SimulatedStreamFactory("input", source=sine(RATE))
    recorder = Recorder(tmp_path / "take.wav", factory, block=1000)
    recorder.start()
    factory.last.pump(2, status=types.SimpleNamespace(input_overflow=True))
    factory.last.pump(2)
    recorder.stop()
    assert recorder.dropouts == 2 and recorder.error is None
    assert soundfile.info(str(tmp_path / "take.wav")).frames == 4000


def test_a_microphone_that_cannot_open_leaves_no_file(tmp_path):
    factory = SimulatedStreamFactory("input", fail_with=RuntimeError("Device unavailable"))
    recorder = Recorder(tmp_path / "take.wav", factory)
    with pytest.raises(StudioError, match="could not start recording"):
        recorder.start()
    assert not (tmp_path / "take.wav").exists()


# --- player ----------------------------------------------------------------------------------------------------

def clips() -> tuple[np.ndarray, np.ndarray]:
    a = np.arange(1000, dtype=np.float32) / 1000
    return a, -a


def test_player_plays_and_switches_clips_at_the_same_position():
    factory = SimulatedStreamFactory("output")
    player = Player(factory, block=100)
    a, b = clips()
    player.set_clips(a, b)
    player.play()
    stream = factory.last
    np.testing.assert_array_equal(stream.pump(2), a[:200])
    player.switch_to("b")
    assert player.current == "b" and player.position == 200
    np.testing.assert_array_equal(stream.pump(1), b[200:300])
    player.stop()
    assert stream.closed and not player.playing and player.position == 300
    player.play()  # resumes where it stopped, on a fresh stream
    np.testing.assert_array_equal(factory.last.pump(1), b[300:400])
    player.close()


def test_player_loops_a_selection_and_stops_at_the_end():
    factory = SimulatedStreamFactory("output")
    player = Player(factory, block=100)
    a, b = clips()
    player.set_clips(a, b)
    player.set_loop(900, 960)
    player.play()
    out = factory.last.pump(3)
    np.testing.assert_array_equal(out, np.resize(a[900:960], 300))
    player.clear_loop()
    player.seek(950)
    out = factory.last.pump(1)
    np.testing.assert_array_equal(out[:50], a[950:])
    np.testing.assert_array_equal(out[50:], 0.0)
    assert not player.playing
    player.play()  # at the end: starts over
    np.testing.assert_array_equal(factory.last.pump(1), a[:100])
    player.stop()


def test_player_refuses_bad_requests():
    player = Player(SimulatedStreamFactory("output"), block=100)
    player.set_clips(*clips())
    with pytest.raises(ValueError):
        player.switch_to("c")
    with pytest.raises(ValueError):
        player.set_loop(2000, 3000)
    player.play()
    player.set_clips(np.zeros(10, np.float32))  # a shorter clip while playing: position clamped
    assert player.position <= 10
    player.stop()

"""The Denoise page's workers with fake denoiser sessions and simulated sound streams (no TensorFlow, no sound card):
display data, named jobs, opening/denoising/scoring/mixing/saving, blends, live processors, recording, playback."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile

from ganstudio.audio.simulated import SimulatedStreamFactory
from ganstudio.core.speech.audio_files import read_audio
from ganstudio.core.errors import ModelFileError, StudioError
from ganstudio.core.speech.framing import process_signal
from ganstudio.workers import denoise_jobs
from ganstudio.workers.audio_service import AudioService, DeviceChoices, DeviceOption, SoundEngine
from ganstudio.workers.clip_display import clip_display, waveform_envelope
from ganstudio.workers.denoise_service import DenoiseService, WindowedProcessor, live_choices
from ganstudio.workers.named_jobs import JobCancelled, NamedJobs

RATE = 16000
WAIT_MS = 30_000  # generous: a loaded 2-core CI machine may starve the worker threads for seconds


def speechlike(seconds: float = 3.0, seed: int = 0) -> np.ndarray:
    """Harmonics of a gliding pitch in syllable-like bursts: PESQ and STOI score it like speech."""
    t = np.arange(int(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(140 + 30 * np.sin(2 * np.pi * 0.7 * t)) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 3.0 * t + seed), 0, None) ** 2
    return (0.3 * voiced * envelope / np.abs(voiced).max()).astype(np.float32)


class FakeDenoiser:
    """Halves the signal, frame by frame through the real framer (so progress and cancel behave as the real one)."""

    def __init__(self, window: int = 1024, delay: float = 0.0, stride: int = 4) -> None:
        self.title, self.window, self.hop, self.rate, self.stride = "fake denoiser", window, window // 2, RATE, stride
        self.delay, self.processed = delay, 0

    def process(self, frames: np.ndarray) -> np.ndarray:
        time.sleep(self.delay)
        self.processed += len(frames)
        return np.asarray(frames, np.float32) * 0.5

    def denoise(self, samples, progress=None, cancel=None):
        return process_signal(samples, self, progress=progress, cancel=cancel)


def fake_loader(path: str):
    if "broken" in path:
        raise ModelFileError(f"{path} is not a ganstudio model (no manifest.json).", "Pick a model folder.")
    return FakeDenoiser(delay=0.02 if "slow" in path else 0.0)


@pytest.fixture
def service(qtbot):
    made = DenoiseService(load_session=fake_loader)
    yield made
    made.shutdown()
    assert [t.name for t in threading.enumerate() if t.name.startswith("denoise-")] == []


def loaded(qtbot, service, name: str = "fake") -> None:
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS):
        service.load(name)


def finish(qtbot, service, name: str, start) -> object:
    """Run `start()` and return the result of job `name` (failing the test with the message if it failed)."""
    outcome = {}
    service.job_done.connect(lambda n, result: outcome.setdefault(n, ("done", result)))
    service.job_failed.connect(lambda n, message: outcome.setdefault(n, ("failed", message)))
    service.job_cancelled.connect(lambda n: outcome.setdefault(n, ("cancelled", None)))
    start()
    qtbot.waitUntil(lambda: name in outcome, timeout=WAIT_MS)
    return outcome[name]


# ---- display data --------------------------------------------------------------------------------------------------
def test_a_long_clip_draws_as_a_min_max_envelope_that_keeps_every_peak():
    samples = np.zeros(RATE * 600, np.float32)
    samples[1_234_567] = 0.9  # one click in ten minutes
    times, values = waveform_envelope(samples, RATE, columns=1000)
    assert len(values) == 2000 and values.max() == pytest.approx(0.9)
    assert times[values.argmax()] == pytest.approx(1_234_567 / RATE, abs=600 / 1000)
    short = np.linspace(-1, 1, 500, dtype=np.float32)
    assert np.array_equal(waveform_envelope(short, RATE)[1], short)  # short clips are drawn as they are


def test_the_spectrogram_is_bounded_and_placed_in_seconds_and_hertz():
    tone = np.sin(2 * np.pi * 1000 * np.arange(RATE * 60) / RATE).astype(np.float32)
    display = clip_display(tone, RATE, columns=500)
    bins, frames = display.image.shape
    assert bins == 257 and frames <= 501 and display.duration == pytest.approx(60.0)
    x, y, width, height = display.rect
    assert x + width == pytest.approx(60.0, rel=0.01) and y + height == pytest.approx(RATE / 2 + RATE / 1024)
    brightest = display.image[:, frames // 2].argmax()  # row 0 is the lowest frequency
    assert y + (brightest + 0.5) * height / bins == pytest.approx(1000, abs=40)


# ---- named jobs ----------------------------------------------------------------------------------------------------
def test_named_jobs_report_progress_cancel_and_drop_a_replaced_job(qtbot):
    from ganstudio.workers.background_loader import ServiceThreads

    threads = ServiceThreads()
    jobs = NamedJobs(threads, "test")
    done, cancelled, progress = [], [], []
    jobs.done.connect(lambda name, result: done.append(result))
    jobs.cancelled.connect(cancelled.append)
    jobs.progressed.connect(lambda name, fraction: progress.append(fraction))

    def work(report, is_cancelled, label, steps):
        for i in range(steps):
            if is_cancelled():
                raise JobCancelled()
            time.sleep(0.01)
            report((i + 1) / steps)
        return label

    jobs.start("job", work, "first", 300)
    jobs.start("job", work, "second", 5)  # replaces the first: its result is never announced
    qtbot.waitUntil(lambda: done == ["second"], timeout=WAIT_MS)
    assert progress[-1] == 1.0
    jobs.start("job", work, "third", 500)
    jobs.cancel("job")
    qtbot.waitUntil(lambda: cancelled == ["job"], timeout=WAIT_MS)
    threads.join(5)
    assert done == ["second"]


# ---- the service's jobs --------------------------------------------------------------------------------------------
def test_a_model_loads_and_a_broken_one_is_reported(qtbot, service):
    infos = []
    service.model_loaded.connect(infos.append)
    loaded(qtbot, service)
    assert infos[0].title == "fake denoiser" and infos[0].window == 1024 and infos[0].rate == RATE
    with qtbot.waitSignal(service.load_failed, timeout=WAIT_MS) as failed:
        service.load("/models/broken")
    assert "manifest" in failed.args[0] and service.has_model


def test_opening_a_44k_stereo_file_converts_it_and_says_so(qtbot, service, tmp_path):
    clean = speechlike(2.0)
    stereo = np.column_stack([clean, clean])
    from scipy.signal import resample_poly

    soundfile.write(tmp_path / "talk.flac", resample_poly(stereo, 441, 160, axis=0), 44100)
    outcome, clip = finish(qtbot, service, "open", lambda: service.open_file(str(tmp_path / "talk.flac")))
    assert outcome == "done" and clip.rate == RATE and clip.duration == pytest.approx(2.0, abs=0.01)
    assert "Converted 44.1 kHz stereo to 16 kHz mono." in clip.notes
    assert clip.display.duration == pytest.approx(clip.duration)


def test_a_long_file_streams_with_progress_and_can_be_cancelled(qtbot, service, tmp_path, monkeypatch):
    monkeypatch.setattr(denoise_jobs, "STREAM_AFTER_S", 1.0)
    monkeypatch.setattr(denoise_jobs, "BLOCK_SECONDS", 0.5)
    soundfile.write(tmp_path / "long.wav", np.tile(speechlike(1.0), 6), 22050)
    progress = []
    service.job_progressed.connect(lambda name, fraction: progress.append(fraction))
    outcome, clip = finish(qtbot, service, "open", lambda: service.open_file(str(tmp_path / "long.wav")))
    expected = read_audio(tmp_path / "long.wav").samples
    assert outcome == "done" and np.allclose(clip.samples, expected, atol=1e-5)
    assert "Converted 22.05 kHz to 16 kHz." in clip.notes and progress[-1] == 1.0
    monkeypatch.setattr(denoise_jobs, "BLOCK_SECONDS", 0.001)
    assert finish(qtbot, service, "open", lambda: (service.open_file(str(tmp_path / "long.wav")),
                                                   service.cancel("open")))[0] == "cancelled"


def test_a_corrupt_file_fails_with_a_message(qtbot, service, tmp_path):
    (tmp_path / "broken.wav").write_bytes(b"RIFF....WAVEfmt nonsense")
    outcome, message = finish(qtbot, service, "open", lambda: service.open_file(str(tmp_path / "broken.wav")))
    assert outcome == "failed" and "broken.wav" in message and "not a readable audio file" in message


def test_denoise_runs_the_session_with_progress_and_cancel(qtbot, service):
    with pytest.raises(StudioError, match="No denoiser"):
        service.denoise(np.zeros(100, np.float32))
    loaded(qtbot, service)
    noisy = speechlike(1.5)
    outcome, clip = finish(qtbot, service, "denoise", lambda: service.denoise(noisy))
    assert outcome == "done" and np.allclose(clip.samples, noisy * 0.5, atol=1e-5)
    assert "real-time factor" in clip.notes[0]
    loaded(qtbot, service, "slow")
    assert finish(qtbot, service, "denoise", lambda: (service.denoise(speechlike(10.0)),
                                                      service.cancel("denoise")))[0] == "cancelled"


def test_scores_compare_noisy_and_denoised_and_explain_a_missing_metric(qtbot, service):
    clean = speechlike(3.0)
    noisy = clean + 0.05 * np.random.default_rng(1).standard_normal(len(clean)).astype(np.float32)
    better = 0.5 * (clean + noisy)
    outcome, scores = finish(qtbot, service, "score", lambda: service.score(clean, {"noisy": noisy,
                                                                                   "denoised": better}))
    assert outcome == "done" and set(scores.table) == {"noisy", "denoised"}
    assert scores.table["denoised"]["snr_db"] == pytest.approx(scores.table["noisy"]["snr_db"] + 6.02, abs=0.01)
    assert scores.table["denoised"]["stoi"] > scores.table["noisy"]["stoi"] and scores.table["noisy"]["pesq_wb"] >= 1
    tiny = clean[:2000]  # an eighth of a second: PESQ and STOI cannot score it, SNR still can
    outcome, scores = finish(qtbot, service, "score", lambda: service.score(tiny, {"noisy": noisy[:2000]}))
    assert scores.table["noisy"]["pesq_wb"] is None and scores.table["noisy"]["snr_db"] is not None
    assert any("PESQ" in note for note in scores.notes)
    outcome, message = finish(qtbot, service, "score", lambda: service.score(clean[:RATE], {"noisy": noisy}))
    assert outcome == "failed" and "differ in length" in message


def test_add_noise_mixes_at_the_chosen_snr_and_keeps_the_clean_clip(qtbot, service, tmp_path):
    clean = speechlike(2.0)
    outcome, mix = finish(qtbot, service, "add-noise", lambda: service.add_noise(clean, "pink", 5.0))
    noise = mix.noisy.samples - mix.clean
    assert outcome == "done" and 10 * np.log10(np.sum(mix.clean ** 2) / np.sum(noise ** 2)) == pytest.approx(5.0,
                                                                                                            abs=0.01)
    assert "pink noise at 5 dB" in mix.noisy.notes[0]
    soundfile.write(tmp_path / "fan.wav", np.zeros(RATE, np.float32), RATE)
    outcome, message = finish(qtbot, service, "add-noise",
                              lambda: service.add_noise(clean, str(tmp_path / "fan.wav"), 5.0))
    assert outcome == "failed" and "silent" in message


def test_save_writes_a_wav_atomically(qtbot, service, tmp_path):
    samples = speechlike(1.0)
    outcome, saved = finish(qtbot, service, "save", lambda: service.save(str(tmp_path / "out.wav"), samples))
    assert outcome == "done" and np.allclose(read_audio(saved.path).samples, samples, atol=1 / 32767)
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav"]  # no temp file left behind
    outcome, message = finish(qtbot, service, "save",
                              lambda: service.save(str(tmp_path / "out.wav" / "inside.wav"), samples))
    assert outcome == "failed" and "out.wav" in message


STALE = ".clean.wav.k3j_x9a2.tmp"  # what a save killed mid-write leaves (core/atomic.py's temp name; unlocked)


def test_a_save_first_removes_what_killed_saves_left_in_its_folder(qtbot, service, tmp_path):
    (tmp_path / STALE).write_bytes(b"half a clip")
    (tmp_path / "notes.tmp").write_text("someone else's")
    outcome, saved = finish(qtbot, service, "save", lambda: service.save(str(tmp_path / "out.wav"), speechlike(0.5)))
    assert outcome == "done" and saved.cleaned.removed == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.tmp", "out.wav"]
    assert saved.cleaned.note == f"Removed 1 unfinished temp file of an interrupted save from {tmp_path}."


def test_cleaning_a_folder_is_a_job_of_its_own(qtbot, service, tmp_path):
    (tmp_path / STALE).write_bytes(b"half a clip")
    outcome, cleaned = finish(qtbot, service, "clean", lambda: service.clean_folder(str(tmp_path)))
    assert outcome == "done" and cleaned.removed == 1 and not (tmp_path / STALE).exists()
    outcome, cleaned = finish(qtbot, service, "clean", lambda: service.clean_folder(str(tmp_path / "missing")))
    assert outcome == "done" and cleaned.removed == 0 and cleaned.note == ""


def test_blends_are_strength_weighted_and_the_latest_wins(qtbot, service):
    original, denoised = np.ones(RATE, np.float32), np.zeros(RATE, np.float32)
    results = []
    service.blended.connect(lambda _id, strength, clip: results.append((strength, clip)))
    for strength in (0.1, 0.2, 0.3, 0.25):
        service.blend(original, denoised, strength)
    qtbot.waitUntil(lambda: bool(results) and results[-1][0] == 0.25, timeout=WAIT_MS)
    assert np.allclose(results[-1][1].samples, 0.75)


def test_the_live_processor_blends_at_the_chosen_window_and_is_warmed_up(qtbot, service):
    assert [window for window, _ in live_choices()] == [16384, 4096, 2048, 1024]
    loaded(qtbot, service)
    outcome, processor = finish(qtbot, service, "live", lambda: service.prepare_live(2048, 0.5))
    assert outcome == "done" and (processor.window, processor.hop, processor.rate) == (2048, 1024, RATE)
    frames = np.ones((2, 2048), np.float32)
    assert np.allclose(processor.process(frames), 0.75)  # 0.5 · (0.5 · x) + 0.5 · x
    with pytest.raises(StudioError, match="multiple of 4"):
        WindowedProcessor(FakeDenoiser(), 2050)


# ---- sound devices with simulated streams --------------------------------------------------------------------------
def engine(source=None, fail=None, devices=None):
    factories = {kind: SimulatedStreamFactory(kind, source, fail) for kind in ("input", "output", "duplex")}
    choices = devices or DeviceChoices([DeviceOption(3, "USB mic", "USB mic — ALSA")],
                                       [DeviceOption(5, "Speakers", "Speakers — ALSA")])
    # Simulated streams deliver audio only when a test pumps them: the wall-clock stall detection (tested in
    # test_audio_devices) must not end a recording while a slow CI machine runs the test's next line.
    made = SoundEngine(stream_factory=factories.__getitem__, list_devices=lambda: choices, stall_seconds=600.0)
    made.factories = factories
    return made


@pytest.fixture
def audio(qtbot, tmp_path):
    made = AudioService(engine=engine(source=speechlike(1.0)), recordings_dir=tmp_path / "recordings")
    yield made
    made.shutdown()


def test_devices_are_listed_on_a_thread_and_a_failure_becomes_a_problem(qtbot, audio, tmp_path):
    with qtbot.waitSignal(audio.devices_listed, timeout=WAIT_MS) as listed:
        audio.refresh_devices()
    assert listed.args[0].inputs[0].name == "USB mic"

    def broken():
        raise StudioError("PortAudio, the library used to reach sound devices, is not installed.", "apt install")

    failing = AudioService(engine=SoundEngine(list_devices=broken), recordings_dir=tmp_path)
    with qtbot.waitSignal(failing.devices_listed, timeout=WAIT_MS) as listed:
        failing.refresh_devices()
    assert listed.args[0].inputs == [] and "PortAudio" in listed.args[0].input_problem


def test_a_recording_is_written_as_it_goes_and_kept_when_the_device_goes_away(qtbot, audio):
    # Collected from the start: on a loaded machine the recorder's own stall detection (3 s without audio) may end
    # the recording before end_of_device() below; either way the file must hold what was recorded.
    results, progress = [], []
    audio.recording_stopped.connect(results.append)
    audio.recording_progressed.connect(lambda seconds, level: progress.append((seconds, level)))
    path = audio.start_recording(3)
    stream = audio.engine.factories["input"].last
    assert stream.options.get("device") == 3
    stream.pump(80)  # 80 × 1024 samples = 5.12 s
    qtbot.waitUntil(lambda: path.exists() and soundfile.info(str(path)).frames >= 80 * 1024, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(progress) and progress[-1][0] == pytest.approx(5.12), timeout=WAIT_MS)
    assert progress[-1][1] > -20
    stream.end_of_device()  # unplugged
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    result = results[0]
    assert len(results) == 1 and "stopped sending sound" in result.error and result.seconds == pytest.approx(5.12)
    assert read_audio(result.path).duration == pytest.approx(5.12) and not audio.recording


def test_playback_switches_between_a_and_b_at_the_same_position_and_loops(qtbot, audio):
    a, b = np.full(RATE * 2, 0.25, np.float32), np.full(RATE * 2, -0.5, np.float32)
    audio.set_clips(a, b)
    audio.play("a", device=5)
    stream = audio.engine.factories["output"].last
    assert np.allclose(stream.pump(4), 0.25) and audio.position == pytest.approx(4096 / RATE)
    audio.switch_to("b")
    assert np.allclose(stream.pump(1), -0.5) and audio.position == pytest.approx(5120 / RATE)
    audio.set_loop((0.0, 0.1))
    stream.pump(10)
    assert audio.position < 0.1 + 1e-9
    audio.set_loop(None)
    with qtbot.waitSignal(audio.playback_stopped, timeout=WAIT_MS):
        stream.pump(40)  # to the end
    assert not audio.playing


def test_live_mode_streams_through_the_processor_and_reports_figures(qtbot, audio):
    from ganstudio.audio.processor import GainProcessor

    audio.start_live(GainProcessor(0.5, window=1024, hop=512), 3, 5)
    stream = audio.engine.factories["duplex"].last
    assert stream.options.get("device") == (3, 5)
    stats = []
    audio.live_measured.connect(stats.append)
    for _ in range(20):
        stream.pump(8)
        time.sleep(0.01)
    qtbot.waitUntil(lambda: bool(stats) and stats[-1].seconds > 0, timeout=WAIT_MS)
    assert stats[-1].latency_ms > 0 and stats[-1].running
    with qtbot.waitSignal(audio.live_stopped, timeout=WAIT_MS) as stopped:
        audio.stop_live()
    assert stopped.args[0] == "" and not audio.live_running

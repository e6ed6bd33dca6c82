"""The Denoise page with a fake denoiser (halves the signal; no TensorFlow) and simulated sound devices (no sound
card): opening, denoising, strength, A/B playback, saving, scores, adding noise, recording, live mode, missing
devices, remembered settings, and the layering (the page never reaches ganstudio.ml, ganstudio.audio or
sounddevice)."""

from __future__ import annotations

import subprocess
import sys
import threading

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ganstudio.core.speech.audio_files import read_audio
from ganstudio.core.errors import StudioError
from ganstudio.ui.pages.denoise_page import DenoisePage
from ganstudio.workers.audio_service import AudioService, DeviceChoices, SoundEngine
from ganstudio.workers.denoise_service import DenoiseService
from test_denoise_service import RATE, engine, fake_loader, speechlike

WAIT_MS = 30_000  # generous: a loaded 2-core CI machine may starve the worker threads for seconds
NO_PORTAUDIO = StudioError("PortAudio, the library used to reach sound devices, is not installed.",
                           "On Debian or Ubuntu run: sudo apt install libportaudio2")


@pytest.fixture
def make_page(qtbot, settings, monkeypatch, tmp_path):
    monkeypatch.setattr("ganstudio.ui.widgets.model_bar.installed_models", lambda kind=None: [])
    pages = []

    def make(sound: SoundEngine | None = None) -> DenoisePage:
        audio = AudioService(engine=sound or engine(source=speechlike(1.0)), recordings_dir=tmp_path / "recordings")
        page = DenoisePage(settings, service=DenoiseService(load_session=fake_loader), audio=audio)
        qtbot.addWidget(page)
        page.resize(1100, 760)
        page.show()
        qtbot.waitExposed(page)
        qtbot.waitUntil(lambda: page.device_bar.choices is not None, timeout=WAIT_MS)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()
    leftovers = [t.name for t in threading.enumerate() if t.name.startswith(("denoise-", "recorder", "live-"))]
    assert leftovers == [], f"threads left running: {leftovers}"


def wait_job(qtbot, page, name: str, start) -> None:
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == name):
        start()


def load(qtbot, page) -> None:
    with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
        page.load_model("fake")


def noisy_and_clean(tmp_path) -> tuple[np.ndarray, np.ndarray]:
    clean = speechlike(3.0)
    noisy = clean + 0.05 * np.random.default_rng(1).standard_normal(len(clean)).astype(np.float32)
    soundfile.write(tmp_path / "clean.wav", clean, RATE)
    soundfile.write(tmp_path / "noisy.wav", np.column_stack([noisy, noisy]), 48000 // 3)  # stereo
    return read_audio(tmp_path / "noisy.wav").samples, clean


def open_and_denoise(qtbot, page, tmp_path) -> None:
    noisy_and_clean(tmp_path)
    load(qtbot, page)
    wait_job(qtbot, page, "open", lambda: page.files.open_file(str(tmp_path / "noisy.wav")))
    with qtbot.waitSignal(page.service.blended, timeout=WAIT_MS):
        page.denoise_button.click()


def test_the_page_builds_with_devices_and_waits_for_a_clip(make_page):
    page = make_page()
    assert page.device_bar.input.currentText().startswith("USB mic") and not page.device_bar.message.isVisible()
    assert page.record.button.isEnabled() and not page.denoise_button.isEnabled()
    assert not page.save_button.isEnabled() and not page.playback.play_button.isEnabled()
    assert page.views.display("a") is None and not page.progress.isVisible()


def test_opening_a_file_shows_its_waveform_and_the_conversion(qtbot, make_page, tmp_path):
    page = make_page()
    noisy, _ = noisy_and_clean(tmp_path)
    wait_job(qtbot, page, "open", lambda: page.files.open_file(str(tmp_path / "noisy.wav")))
    assert "Mixed stereo down to mono." in page.status.text() and "noisy.wav (3.0 s)" in page.status.text()
    assert np.array_equal(page.original.samples, noisy)
    wave = page.views.row("a", "wave").curve.getData()
    assert len(wave[0]) > 0 and wave[0][-1] == pytest.approx(3.0, abs=0.01)
    assert page.views.row("a", "spec").image.image is not None and page.views.display("b") is None
    assert page.playback.play_button.isEnabled() and not page.playback.b_button.isEnabled()


def test_denoise_fills_the_result_views_and_enables_save(qtbot, make_page, tmp_path):
    page = make_page()
    open_and_denoise(qtbot, page, tmp_path)
    assert np.allclose(page.result.samples, page.original.samples * 0.5, atol=1e-5)
    assert page.views.row("b", "wave").curve.getData()[0] is not None
    assert page.views.row("b", "spec").image.image is not None
    assert page.save_button.isEnabled() and page.playback.b_button.isEnabled()
    assert "real-time factor" in page.status.text() and not page.progress.isVisible()
    a_range = page.views.row("a", "wave").plot.viewRange()[0]
    assert page.views.row("b", "spec").plot.viewRange()[0] == pytest.approx(a_range)  # one linked time axis


def test_strength_blends_the_result_without_running_the_model_again(qtbot, make_page, tmp_path):
    page = make_page()
    open_and_denoise(qtbot, page, tmp_path)
    session = page.service._session
    processed = session.processed
    with qtbot.waitSignal(page.service.blended, timeout=WAIT_MS):
        page.strength.setValue(50)
    assert np.allclose(page.result.samples, 0.75 * page.original.samples, atol=1e-5)
    assert session.processed == processed and page.strength_label.text() == "50% denoised"


def test_cancelling_a_denoise_keeps_the_page_as_it_was(qtbot, make_page, tmp_path):
    page = make_page()
    soundfile.write(tmp_path / "long.wav", speechlike(20.0), RATE)
    with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
        page.load_model("slow")
    wait_job(qtbot, page, "open", lambda: page.files.open_file(str(tmp_path / "long.wav")))
    page.denoise_button.click()
    assert page.progress.isVisible() and not page.denoise_button.isEnabled()
    with qtbot.waitSignal(page.service.job_cancelled, timeout=WAIT_MS):
        page.cancel_button.click()
    assert "cancelled" in page.status.text() and page.result is None and page.denoise_button.isEnabled()


def test_save_writes_the_result_at_the_chosen_strength(qtbot, make_page, tmp_path):
    page = make_page()
    open_and_denoise(qtbot, page, tmp_path)
    wait_job(qtbot, page, "save", lambda: page.files.save_file(str(tmp_path / "out" / "clean.wav")))
    assert np.allclose(read_audio(tmp_path / "out" / "clean.wav").samples, page.result.samples, atol=1 / 32767)
    assert "Saved the result" in page.status.text()


STALE = ".noisy-denoised.wav.k3j_x9a2.tmp"  # what a save killed mid-write leaves (core/atomic.py's temp name)


def test_the_pages_folder_is_cleaned_of_killed_saves_when_the_page_starts(qtbot, make_page, settings, tmp_path):
    (tmp_path / STALE).write_bytes(b"half a clip")
    settings.setValue("denoise/dir", str(tmp_path))
    page = make_page()
    qtbot.waitUntil(lambda: not (tmp_path / STALE).exists(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Removed 1 unfinished temp file of an interrupted save" in page.status.text(),
                    timeout=WAIT_MS)


def test_a_folder_chosen_in_a_dialog_is_cleaned_of_killed_saves(qtbot, make_page, monkeypatch, tmp_path):
    noisy_and_clean(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / STALE).write_bytes(b"half a clip")
    (other / "noisy.wav").write_bytes((tmp_path / "noisy.wav").read_bytes())
    page = make_page()
    monkeypatch.setattr("ganstudio.ui.pages.denoise_files.QFileDialog.getOpenFileName",
                        lambda *args, **kwargs: (str(other / "noisy.wav"), ""))
    wait_job(qtbot, page, "clean", page.files.ask_open)
    assert not (other / STALE).exists() and page.files.folder == str(other)


def test_a_save_cleans_its_folder_first_and_says_so(qtbot, make_page, tmp_path):
    page = make_page()
    open_and_denoise(qtbot, page, tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / STALE).write_bytes(b"half a clip")
    wait_job(qtbot, page, "save", lambda: page.files.save_file(str(tmp_path / "out" / "clean.wav")))
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["clean.wav"]
    assert "Removed 1 unfinished temp file of an interrupted save" in page.status.text()


def test_a_clean_reference_fills_the_scores_table(qtbot, make_page, tmp_path):
    page = make_page()
    open_and_denoise(qtbot, page, tmp_path)
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "score"):
        page.files.load_reference(str(tmp_path / "clean.wav"))
    values = {key: (page.metrics.value(key, "noisy"), page.metrics.value(key, "denoised"))
              for key in ("snr_db", "ssnr_db", "pesq_wb", "stoi")}
    assert all(noisy != "—" and denoised != "—" for noisy, denoised in values.values()), values
    assert "clean.wav" in page.metrics.reference.text()


def test_a_reference_loaded_first_scores_the_result_once_it_exists(qtbot, make_page, tmp_path):
    page = make_page()
    noisy_and_clean(tmp_path)
    load(qtbot, page)
    wait_job(qtbot, page, "open", lambda: page.files.open_file(str(tmp_path / "noisy.wav")))
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "score"):
        page.files.load_reference(str(tmp_path / "clean.wav"))
    assert page.metrics.value("stoi", "noisy") != "—" and page.metrics.value("stoi", "denoised") == "—"
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "score"):
        page.denoise_button.click()
    snr = float(page.metrics.value("snr_db", "noisy"))
    assert float(page.metrics.value("snr_db", "denoised")) != snr  # the denoised column is the halved clip's


def test_adding_noise_makes_the_input_and_keeps_the_clean_clip_as_reference(qtbot, make_page, tmp_path):
    page = make_page()
    soundfile.write(tmp_path / "clean.wav", speechlike(3.0), RATE)
    wait_job(qtbot, page, "open", lambda: page.files.open_file(str(tmp_path / "clean.wav")))
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "score"):
        page.files.add_noise("white", 10.0)
    assert float(page.metrics.value("snr_db", "noisy")) == pytest.approx(10.0, abs=0.05)
    assert "white noise at 10 dB" in page.status.text() and "before the noise" in page.metrics.reference.text()


def test_missing_portaudio_disables_record_and_live_and_says_why(qtbot, make_page, tmp_path):
    def no_portaudio():
        raise NO_PORTAUDIO

    page = make_page(SoundEngine(list_devices=no_portaudio))
    assert page.device_bar.message.isVisible() and "PortAudio" in page.device_bar.message.text()
    assert not page.record.button.isEnabled() and not page.live.button.isEnabled()
    load(qtbot, page)
    assert not page.live.button.isEnabled() and "microphone" in page.live.reason.text()
    open_and_denoise(qtbot, page, tmp_path)  # files still work
    assert page.save_button.isEnabled() and not page.playback.play_button.isEnabled()


def test_no_microphone_leaves_playback_working(qtbot, make_page, tmp_path):
    sound = engine(devices=DeviceChoices([], engine().devices().outputs, "No microphone or other input device "
                                                                         "was found.", ""))
    page = make_page(sound)
    assert not page.record.button.isEnabled() and "No microphone" in page.device_bar.message.text()
    open_and_denoise(qtbot, page, tmp_path)
    page.devices.toggle_play()
    assert page.audio.playing and page.playback.play_button.text().endswith("Pause")


def test_recording_is_saved_then_opened_as_the_clip(qtbot, make_page):
    page = make_page()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)
    QTest.keyClick(page, Qt.Key.Key_R)
    assert page.audio.recording and page.record.button.text().endswith("Stop")
    page.audio.engine.factories["input"].last.pump(32)  # 2.048 s
    qtbot.waitUntil(lambda: page.record.elapsed.text() == "0:02.0", timeout=WAIT_MS)
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "open"):
        page.record.button.click()
    assert page.original.duration == pytest.approx(2.048) and page.original.source.endswith(".wav")
    assert "recording-" in page.status.text()


def test_play_ab_and_loop(qtbot, make_page, tmp_path):
    page = make_page()
    open_and_denoise(qtbot, page, tmp_path)
    page.playback.loop.setChecked(True)
    start, end = page.views.selection()
    assert 0 < start < end < 3.0
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)
    QTest.keyClick(page, Qt.Key.Key_Space)
    assert page.audio.playing
    stream = page.audio.engine.factories["output"].last
    assert stream.options.get("device") == 5
    played = stream.pump(2)
    assert np.allclose(played, page.original.samples[int(start * RATE):][:len(played)], atol=1e-6)
    QTest.keyClick(page, Qt.Key.Key_B)
    assert page.playback.source == "b"
    position = round(page.audio.position * RATE)
    assert np.allclose(stream.pump(1), page.result.samples[position:position + 1024], atol=1e-6)
    page.devices.toggle_play()
    assert not page.audio.playing and page.playback.play_button.text().endswith("Play")


def test_live_mode_runs_and_shows_its_figures(qtbot, make_page):
    page = make_page()
    load(qtbot, page)
    page.live.choose_window(2048)
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "live"):
        page.live.button.click()
    assert page.audio.live_running and page.devices.live_state == "on" and not page.record.button.isEnabled()
    stream = page.audio.engine.factories["duplex"].last
    for _ in range(40):
        stream.pump(8)
        QTest.qWait(5)
    qtbot.waitUntil(lambda: "Latency" in page.live.stats.text(), timeout=WAIT_MS)
    assert page.devices.live_processor.window == 2048
    page.strength.setValue(30)
    assert page.devices.live_processor.strength == pytest.approx(0.3)
    page.live.button.click()
    assert not page.audio.live_running and page.live.button.text() == "Live: off" and page.record.button.isEnabled()


def test_settings_are_remembered(qtbot, make_page, settings):
    page = make_page()
    page.strength.setValue(40)
    page.live.choose_window(4096)
    page.live.window_chosen.emit(4096)
    page.device_bar.output_chosen.emit("Speakers")
    page.shutdown()
    again = make_page()
    assert again.strength.value() == 40 and again.live.chosen_window() == 4096
    assert settings.value("denoise/output_device") == "Speakers"


def test_the_page_never_imports_the_engine_or_sounddevice():
    code = ("import sys; import ganstudio.ui.pages.denoise_page, ganstudio.ui.main_window; "
            "print(sorted(m for m in sys.modules if m.startswith(('ganstudio.ml', 'ganstudio.audio', "
            "'sounddevice', 'tensorflow', 'pyqtgraph'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
    from test_import_direction import offending

    assert offending("ui", ("ganstudio.ml", "ganstudio.audio", "sounddevice", "tensorflow")) == []  # not even lazily


def test_the_main_window_opens_denoise_with_ctrl_4_and_remembers_it_by_name(qtbot, settings, monkeypatch):
    from PySide6.QtGui import QKeySequence

    from ganstudio.ui.main_window import MainWindow

    monkeypatch.setattr("ganstudio.ui.widgets.model_bar.installed_models", lambda kind=None: [])
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert list(window.pages)[3] == "Denoise"
    action = next(a for a in window.actions() if a.shortcut() == QKeySequence("Ctrl+4"))
    action.trigger()
    assert window._stack.currentWidget() is window.pages["Denoise"]
    window.close()
    assert settings.value("window/page_name") == "Denoise"
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again._stack.currentWidget() is again.pages["Denoise"]
    again.close()


def test_an_unplugged_microphone_keeps_the_recording_and_says_so(qtbot, make_page):
    page = make_page()
    page.record.button.click()
    stream = page.audio.engine.factories["input"].last
    stream.pump(20)
    qtbot.waitUntil(lambda: page.record.elapsed.text() == "0:01.3", timeout=WAIT_MS)
    with qtbot.waitSignal(page.service.job_done, timeout=WAIT_MS, check_params_cb=lambda n, _r: n == "open"):
        stream.end_of_device()
    assert page.original.duration == pytest.approx(20 * 1024 / RATE) and not page.audio.recording
    assert page.record.button.text().endswith("Record") and "stopped sending sound" in page.status.text()
    assert "recording-" in page.status.text() and page.status.styleSheet() != ""


def test_a_new_clip_cancels_the_denoising_of_the_old_one(qtbot, make_page, tmp_path):
    page = make_page()
    soundfile.write(tmp_path / "long.wav", speechlike(20.0), RATE)
    soundfile.write(tmp_path / "short.wav", speechlike(1.0), RATE)
    with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
        page.load_model("slow")
    wait_job(qtbot, page, "open", lambda: page.files.open_file(str(tmp_path / "long.wav")))
    page.denoise_button.click()
    with qtbot.waitSignal(page.service.job_cancelled, timeout=WAIT_MS):
        page.files.open_file(str(tmp_path / "short.wav"))
    qtbot.waitUntil(lambda: page.original.duration == pytest.approx(1.0), timeout=WAIT_MS)
    assert page.denoised is None and page.result is None and "short.wav" in page.status.text()


def test_the_demo_clip_opens_with_its_clean_reference(qtbot, make_page):
    page = make_page()
    page.demo_button.click()
    qtbot.waitUntil(lambda: page.original is not None and page.reference is not None, timeout=30_000)
    assert page.original.samples.size == page.reference.size > 3 * 16000
    noise = page.original.samples - page.reference  # shipped as a 5 dB mixture
    snr = 10 * np.log10(np.mean(page.reference ** 2) / np.mean(noise ** 2))
    assert snr == pytest.approx(5.0, abs=0.1)

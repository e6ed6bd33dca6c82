"""Train page with the speech recipe: its rows, a picker of speech folders only, and the preview player that plays
the validation clips noisy | enhanced | clean (simulated sound devices, no training)."""

from __future__ import annotations

import numpy as np

from ganstudio.audio.simulated import SimulatedStreamFactory
from ganstudio.core.errors import StudioError
from ganstudio.core.training.events import PreviewReady
from ganstudio.ui.pages.train_page import TrainPage
from ganstudio.workers.audio_service import AudioService, SoundEngine
from speech_fixtures import write_mix_set
from test_train_page_paired import ab_folder, choose, make_page  # noqa: F401 - make_page is a fixture


def test_speech_runs_hide_image_rows_and_title_the_preview_as_spectrograms(qtbot, settings, tmp_path):
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None)
    qtbot.addWidget(page)
    jobs = []
    page.worker.start = lambda job, paused=False: jobs.append(job)
    page.show()
    form = page.form
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("segan"))
    # framed for speech as soon as the recipe is chosen, before any run
    assert page.previews.fake_group.title().startswith("Validation clips: spectrograms") and not page.previews.real_group.isVisible()
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("dcgan"))
    assert page.previews.fake_group.title() == "Generated (fixed z)" and page.previews.real_group.isVisible()
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("segan"))
    assert not form.is_shown("image_size") and not form.is_shown("z_dim")
    assert "image_size" not in form.overrides() and form.overrides()["batch_size"] == 32
    page.start_run("segan", str(write_mix_set(tmp_path / "speech")), run_dir=tmp_path / "r")
    assert page.previews.fake_group.title().startswith("Validation clips: spectrograms") and not page.previews.real_group.isVisible()
    assert page.shutdown(timeout=5)


def test_a_speech_recipe_lists_only_speech_folders_and_asks_for_one(qtbot, make_page, tmp_path):
    speech = write_mix_set(tmp_path / "speech")
    page = make_page(speech)
    form = page.form
    form.dataset_box.add_folder(str(ab_folder(tmp_path / "ab")), select=False)
    view = form.dataset_box.view()
    choose(page, "segan")  # no speech folder yet: the built-in photos and the A|B folder leave the list
    assert not form.has_dataset() and "make-speech-corpus" in form.pairs_note.text()
    assert all(view.isRowHidden(i) for i in range(form.dataset_box.count() - 1))
    page.buttons["start"].click()
    assert page.started == [] and "Choose a data set first" in page._error.text()
    choose(page, "segan", speech)
    assert form.dataset() == str(speech) and form.has_dataset() and form.pairs_note.text().startswith("Speech folder")
    choose(page, "dcgan")  # back to images: the photos return and the speech folder leaves the list
    assert form.dataset().name.startswith("Flowers") and not view.isRowHidden(0)
    assert view.isRowHidden(form.dataset_box.findData(str(speech)))
    choose(page, "segan")  # and the speech folder is chosen again by itself
    assert form.dataset() == str(speech)


def preview_with_clips(step: int) -> PreviewReady:
    clips = np.stack([np.full((3, 1600), v, np.float32) for v in (0.1, 0.2)])  # 2 clips × noisy|enhanced|clean
    clips[:, 1] *= 2.0  # "enhanced" is told apart by its level
    clips[:, 2] *= 3.0
    return PreviewReady(step, np.zeros((8, 8, 3), np.uint8), clips=clips)


def test_speech_previews_can_be_played_noisy_enhanced_and_clean(qtbot, settings):
    output = SimulatedStreamFactory("output")
    audio = AudioService(engine=SoundEngine(stream_factory=lambda kind: output, list_devices=lambda: None))
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None, audio=audio)
    qtbot.addWidget(page)
    page.show()
    player = page.previews.clip_player
    assert not player.isVisible()
    page._on_worker_preview_ready(preview_with_clips(250))
    assert player.isVisible() and player.clip_box.count() == 2 and "step 250" in player.status.text()
    player.clip_box.setCurrentIndex(1)
    player.buttons.button(1).click()  # enhanced, clip 2
    assert np.allclose(output.last.pump(1), 0.4) and player.buttons.checkedId() == 1
    player.buttons.button(2).click()  # clean, from its start
    assert np.allclose(output.last.pump(1), 0.6) and audio.position == 1024 / 16000
    with qtbot.waitSignal(audio.playback_stopped, timeout=10_000):
        output.last.pump(1)  # 1,600 samples: the clip ends
    assert player.buttons.checkedId() == -1
    player.buttons.button(0).click()
    player.stop()
    assert not audio.playing and player.buttons.checkedId() == -1
    assert page.shutdown(timeout=5)


def test_no_output_device_is_said_in_the_player(qtbot, settings):
    def no_device(**kwargs):
        raise StudioError("No output device found.", "Plug in speakers or headphones.")

    audio = AudioService(engine=SoundEngine(stream_factory=lambda kind: no_device, list_devices=lambda: None))
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None, audio=audio)
    qtbot.addWidget(page)
    page._on_worker_preview_ready(preview_with_clips(10))
    page.previews.clip_player.buttons.button(1).click()
    assert "No output device" in page.previews.clip_player.status.text() and page.previews.clip_player.buttons.checkedId() == -1
    assert page.shutdown(timeout=5)


def test_a_real_speech_run_from_the_page_trains_logs_and_brings_clips_to_the_player(qtbot, settings, tmp_path):
    output = SimulatedStreamFactory("output")
    audio = AudioService(engine=SoundEngine(stream_factory=lambda kind: output, list_devices=lambda: None))
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None, audio=audio)
    qtbot.addWidget(page)
    page.tensorboard = False
    page.extra_overrides = dict(ngf=2, ndf=2, batch_size=2, window=1024, preview_every=2, checkpoint_every=2)
    corpus = write_mix_set(tmp_path / "speech", seconds=0.3)
    with qtbot.waitSignal(page.run_finished, timeout=180_000) as finished:
        page.start_run("segan", str(corpus), steps=2, run_dir=tmp_path / "run")
    assert finished.args[0].step == 2
    qtbot.waitUntil(lambda: page.previews.clip_player.clips is not None, timeout=10_000)
    assert page.previews.clip_player.clips.shape == (2, 3, 32768) and page.previews.clip_player.step == 2
    assert "6 clean recordings from speech" in page._log.toPlainText()
    page.previews.clip_player.buttons.button(1).click()
    assert np.allclose(output.last.pump(1), page.previews.clip_player.clips[0, 1, :1024])
    assert page.shutdown(timeout=30)

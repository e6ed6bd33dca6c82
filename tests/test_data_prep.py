"""Making paired and speech data from the Train page (issue 13, item 6): the engine's progress and cancel, and the
dialog that runs `make-pairs` / `make-speech-corpus` on a worker thread and hands the new folder to the picker."""

from __future__ import annotations

import functools
import threading
import time

import numpy as np
import pytest
from PIL import Image

from ganstudio import cli
from ganstudio.core.errors import Cancelled
from ganstudio.core.sketch.pairs_builder import build_pairs
from ganstudio.speech_corpus import builder, sources, tts
from ganstudio.workers import data_prep_jobs
from ganstudio.workers.named_jobs import JobCancelled
from test_speech_corpus import _stand_in_sources
from test_train_page_paired import choose, make_page  # noqa: F401 - make_page is a fixture

PHOTOS = 4


def photos(root, count: int = PHOTOS):
    rng = np.random.default_rng(1)
    (root / "sub").mkdir(parents=True)
    for i in range(count):  # shapes, so the edge maps have ink; one in a subfolder (searched too)
        image = np.full((24, 24, 3), 40 * i, np.uint8)
        image[6:18, 6:18] = rng.integers(120, 255, 3)
        Image.fromarray(image).save(root / ("sub" if i == 0 else "") / f"{i}.png")
    return root


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-"))


# ---- the engine: progress and cancel ------------------------------------------------------------------------------
def test_build_pairs_reports_progress_and_stops_when_cancelled(tmp_path):
    calls = []
    build_pairs(photos(tmp_path / "photos"), tmp_path / "out", "edges", size=16, progress=lambda *a: calls.append(a))
    assert calls[0] == (1, PHOTOS) and calls[-1] == (PHOTOS, PHOTOS)
    asked = []
    with pytest.raises(Cancelled):
        build_pairs(tmp_path / "photos", tmp_path / "cut", "edges", size=16,
                    cancelled=lambda: asked.append(1) or len(asked) > 2)
    assert len(asked) == 3 and len(list((tmp_path / "cut").rglob("*.png"))) == 2  # stopped before the third photo


def test_build_corpus_reports_progress_in_steps_and_stops_when_cancelled(tmp_path, monkeypatch):
    _stand_in_sources(tmp_path, monkeypatch)  # two speakers, no TTS voice
    plan = builder.CorpusPlan(utterance_seconds=2.0, test_per_speaker=5, val_mixtures=2)
    calls = []
    builder.build_corpus(tmp_path / "corpus", plan, lambda _: None, progress=lambda *a: calls.append(a))
    total = 2 + builder.WRITTEN_PARTS
    assert calls == [(n, total) for n in range(1, total + 1)]
    with pytest.raises(Cancelled):
        builder.build_corpus(tmp_path / "cut", plan, lambda _: None, cancelled=lambda: True)
    assert not (tmp_path / "cut" / "corpus.json").exists()


def test_make_speech_corpus_cli_says_the_same_lines_without_sources(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sources, "real_speakers", lambda: [])
    monkeypatch.setattr(tts, "available_voices", lambda: [])
    assert cli.main(["make-speech-corpus", str(tmp_path / "corpus")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("note: for the full corpus install: sudo apt-get install asterisk-core-sounds-en-wav ")
    assert err[0].endswith(" minetest-data extremetuxracer-data")
    assert err[1] == "error: no speech sources found (see the note above)"


def test_a_pairs_job_writes_a_whole_folder_or_none(tmp_path):
    source = photos(tmp_path / "photos")
    done = data_prep_jobs.make_pairs(lambda f: None, lambda: False, str(source), str(tmp_path / "pairs"), "labels", 16)
    assert (tmp_path / "pairs" / "palette.json").exists() and "held-out pairs to" in done.summary
    with pytest.raises(Exception, match="not empty"):  # never into a full folder: the build replaces it whole
        data_prep_jobs.make_pairs(lambda f: None, lambda: False, str(source), str(tmp_path / "pairs"), "edges", 16)
    assert leftovers(tmp_path) == []


# ---- the dialog on the Train page ---------------------------------------------------------------------------------
@pytest.fixture
def open_dialog(qtbot, make_page):
    dialogs = []

    def open_(recipe: str):
        page = make_page()
        choose(page, recipe)
        assert page.form._form.isRowVisible(page.form.prep_button)
        page.form.prep_button.click()
        dialog = page.form.prep_dialog
        dialogs.append(dialog)
        return page, dialog

    yield open_
    for dialog in dialogs:
        dialog.shutdown()


def status(dialog) -> str:
    return dialog.status.text()


def test_pairs_made_in_the_dialog_become_the_chosen_data_set(qtbot, open_dialog, tmp_path):
    page, dialog = open_dialog("pix2pix")
    assert page.form.prep_button.text() == "Make pairs from photos…" and dialog.isVisible()
    assert dialog.kind.currentData() == "edges"
    dialog.photos.setText(str(photos(tmp_path / "photos")))
    dialog.photos.editingFinished.emit()
    assert dialog.output.text() == str(tmp_path / "photos-edges")  # suggested beside the photos
    dialog.size.setValue(16)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "held-out pairs" in status(dialog), timeout=20_000)
    assert page.form.dataset() == str(tmp_path / "photos-edges") and page.form.has_dataset()
    assert "A|B folder" in page.form.pairs_note.text() and page.form._form.isRowVisible(page.form.direction)
    assert dialog.progress.value() == dialog.progress.maximum()
    assert dialog.close_button.text() == "Close"


def test_pix2pixhd_offers_label_maps_by_default(open_dialog):
    _, dialog = open_dialog("pix2pixhd")
    assert dialog.kind.currentData() == "labels"


def test_cancel_midway_leaves_no_folder_the_picker_would_take(qtbot, open_dialog, tmp_path):
    page, dialog = open_dialog("pix2pix")
    first_photo_done = threading.Event()

    def pause_after_the_first_photo(report, cancelled, *args):
        def report_and_wait(fraction):
            report(fraction)
            first_photo_done.set()
            deadline = time.monotonic() + 10
            while not cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)
        return data_prep_jobs.make_pairs(report_and_wait, cancelled, *args)

    dialog.work = pause_after_the_first_photo
    chosen = page.form.dataset()
    dialog.photos.setText(str(photos(tmp_path / "photos")))
    dialog.output.setText(str(tmp_path / "pairs"))
    dialog.start_button.click()
    assert not dialog.start_button.isEnabled() and not dialog.photos.isEnabled()
    qtbot.waitUntil(first_photo_done.is_set, timeout=10_000)
    assert dialog.running()
    dialog.close_button.click()  # Cancel stops the build, not the dialog
    qtbot.waitUntil(lambda: "Cancelled" in status(dialog), timeout=10_000)
    assert dialog.isVisible() and dialog.start_button.isEnabled()
    assert not (tmp_path / "pairs").exists() and leftovers(tmp_path) == []
    assert page.form.dataset() == chosen and page.form.dataset_box.findData(str(tmp_path / "pairs")) < 0


def test_closing_the_dialog_while_it_builds_cancels_first(qtbot, open_dialog, tmp_path):
    _, dialog = open_dialog("pix2pix")
    started = threading.Event()

    def slow(report, cancelled, *args):
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise JobCancelled()

    dialog.work = slow
    dialog.photos.setText(str(tmp_path))
    dialog.output.setText(str(tmp_path / "out"))
    dialog.start_button.click()
    qtbot.waitUntil(started.is_set, timeout=5_000)
    dialog.reject()  # Esc or the window's close button
    assert dialog.isVisible() and "Cancelling" in status(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_a_bad_photo_folder_is_said_in_the_dialog(qtbot, open_dialog, tmp_path):
    page, dialog = open_dialog("pix2pix")
    dialog.start_button.click()
    assert "Choose the folder of photos first" in status(dialog) and not dialog.running()
    dialog.photos.setText(str(tmp_path / "missing"))
    dialog.output.setText(str(tmp_path / "pairs"))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "is not a folder" in status(dialog), timeout=10_000)
    assert "#b00020" in dialog.status.styleSheet() and dialog.start_button.isEnabled()
    (tmp_path / "empty").mkdir()
    dialog.photos.setText(str(tmp_path / "empty"))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "No photos found" in status(dialog), timeout=10_000)
    assert not (tmp_path / "pairs").exists() and not page.form.has_dataset()


def test_without_speech_packages_the_dialog_says_what_to_install(qtbot, open_dialog, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "real_speakers", lambda: [])
    monkeypatch.setattr(sources, "missing_packages", lambda: ["klettres-data"])
    monkeypatch.setattr(tts, "available_voices", lambda: [])
    page, dialog = open_dialog("segan")
    assert page.form.prep_button.text() == "Make a speech corpus…"
    assert not dialog.note.isHidden() and dialog.install_command.text().startswith("sudo apt-get install ")
    dialog.output.setText(str(tmp_path / "corpus"))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "No speech sources found" in status(dialog), timeout=10_000)
    assert "sudo apt-get install flite" in status(dialog)
    assert not (tmp_path / "corpus").exists() and not page.form.has_dataset()


def test_a_speech_corpus_made_in_the_dialog_becomes_the_chosen_data_set(qtbot, open_dialog, tmp_path, monkeypatch):
    _stand_in_sources(tmp_path, monkeypatch)
    small = functools.partial(builder.CorpusPlan, utterance_seconds=2.0, test_per_speaker=5, val_mixtures=2)
    monkeypatch.setattr(builder, "CorpusPlan", small)  # the job's plan, with the dialog's seed and TTS count
    page, dialog = open_dialog("segan")
    dialog.output.setText(str(tmp_path / "corpus"))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "wrote" in status(dialog), timeout=30_000)
    assert page.form.dataset() == str(tmp_path / "corpus") and page.form.pairs_note.text().startswith("Speech folder")


"""Train page with paired recipes: the direction row for A|B folders, and the data set check before a run starts."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.paired import check_paired
from ganstudio.ui.pages.train_page import TrainPage


def ab_folder(root, broken: int = 0):
    for i in range(4):
        Image.fromarray(np.full((16, 32, 3), 200, np.uint8)).save(_mkdir(root / "train") / f"{i}.png")
    for i in range(broken):
        Image.fromarray(np.zeros((16, 30, 3), np.uint8)).save(root / "train" / f"narrow{i}.png")
    return root


def labels_folder(root):
    for i in range(2):
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(_mkdir(root / "train_label") / f"{i}.png")
        Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(_mkdir(root / "train_img") / f"{i}.png")
    return root


def _mkdir(folder):
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def make_page(qtbot, settings):
    pages = []

    def make(folder=None, confirm=lambda report: False, check=check_paired):
        answers = []

        def confirm_and_record(report):
            answers.append(report)
            return confirm(report)

        page = TrainPage(settings, ask_folder=lambda: str(folder) if folder else None, ask_run=lambda: None,
                         check_data=check, confirm_data=confirm_and_record)
        page.asked = answers
        page.started = []
        page.start_run = lambda *args, **kwargs: page.started.append(page.form.overrides())  # no real training
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        assert page.shutdown(timeout=10)


def choose(page, recipe: str, folder=None) -> None:
    form = page.form
    form.recipe_box.setCurrentIndex(form.recipe_box.findData(recipe))
    if folder is not None:
        last = form.dataset_box.count() - 1
        form.dataset_box.setCurrentIndex(last)
        form.dataset_box.activated.emit(last)  # "Choose folder…" → the injected ask_folder


def log_text(page) -> str:
    return page._log.toPlainText()


def test_paired_recipes_show_the_direction_for_ab_folders_only(make_page, tmp_path):
    ab, labels = ab_folder(tmp_path / "ab"), labels_folder(tmp_path / "hd")
    page = make_page(ab)
    form = page.form
    assert not form.is_paired() and not form._form.isRowVisible(form.pairs_note) and "direction" not in form.overrides()
    choose(page, "pix2pix", ab)
    assert form.is_paired() and form._form.isRowVisible(form.direction) and not form.is_shown("z_dim")
    assert form.overrides()["image_size"] == 128 and "A|B folder" in form.pairs_note.text()
    form.direction.setCurrentIndex(form.direction.findData("BtoA"))
    assert form.overrides()["direction"] == "BtoA"
    form.dataset_box.add_folder(str(labels))
    form.dataset_box.activated.emit(form.dataset_box.currentIndex())
    assert not form._form.isRowVisible(form.direction) and "direction" not in form.overrides()
    assert "label/image" in form.pairs_note.text()
    choose(page, "dcgan")
    assert form.is_shown("z_dim") and not form._form.isRowVisible(form.pairs_note)


def photo_folder(root):
    for i in range(3):
        Image.fromarray(np.full((16, 16, 3), 90, np.uint8)).save(_mkdir(root) / f"{i}.png")
    return root


def test_paired_recipes_offer_no_photo_sets(make_page):
    page = make_page()
    form = page.form
    box = form.dataset_box
    offered = lambda: [box.itemText(i) for i in range(box.count()) if not box.view().isRowHidden(i)]  # noqa: E731
    assert any("lower" in text.lower() for text in offered())  # dcgan: the built-in flowers are offered
    choose(page, "pix2pix")
    assert not any("flower" in text.lower() or "mnist" in text.lower() for text in offered())
    assert not form.has_dataset() and "Choose a paired folder" in form.pairs_note.text()


def test_a_photo_folder_is_flagged_for_a_paired_recipe(make_page, tmp_path):
    page = make_page(photo_folder(tmp_path / "photos"))
    choose(page, "pix2pixhd", tmp_path / "photos")
    assert "Not a paired folder" in page.form.pairs_note.text()


def test_a_clean_paired_set_is_checked_then_started(qtbot, make_page, tmp_path):
    page = make_page(ab_folder(tmp_path / "ab"))
    choose(page, "pix2pix", tmp_path / "ab")
    page.form.direction.setCurrentIndex(page.form.direction.findData("BtoA"))
    page.buttons["start"].click()
    assert page.state == "checking" and page.buttons["stop"].isEnabled() and not page.buttons["start"].isEnabled()
    qtbot.waitUntil(lambda: bool(page.started), timeout=10_000)
    assert page.asked == [] and page.started[0]["direction"] == "BtoA"
    assert "train 4 pairs" in log_text(page) and "No problems found" in log_text(page)


def test_problems_are_confirmed_before_training(qtbot, make_page, tmp_path):
    folder = ab_folder(tmp_path / "ab", broken=2)
    declined = make_page(folder)
    choose(declined, "pix2pix", folder)
    declined.start_checked()
    qtbot.waitUntil(lambda: bool(declined.asked), timeout=10_000)
    assert declined.started == [] and declined.state == "idle" and len(declined.asked[0].problems) == 2
    assert "train/narrow0.png is 30×16" in log_text(declined) and "Not started" in log_text(declined)

    accepted = make_page(folder, confirm=lambda report: True)
    choose(accepted, "pix2pix", folder)
    accepted.start_checked()
    qtbot.waitUntil(lambda: bool(accepted.started), timeout=10_000)
    assert "Training anyway" in log_text(accepted)


def test_a_folder_that_is_not_paired_shows_the_error_and_does_not_start(qtbot, make_page, tmp_path):
    page = make_page(photo_folder(tmp_path / "photos"))
    choose(page, "pix2pix", tmp_path / "photos")
    page.start_checked()
    qtbot.waitUntil(lambda: page.state == "idle", timeout=10_000)
    assert page.started == [] and "not a paired data set" in page._error.text()
    assert page.buttons["start"].isEnabled()


def test_start_without_a_paired_folder_asks_for_one(make_page):
    page = make_page()
    choose(page, "pix2pix")
    page.start_checked()
    assert page.started == [] and "Choose a data set first: Choose a paired folder" in page._error.text()


def test_stop_cancels_a_slow_check(qtbot, make_page, tmp_path):
    import threading

    release = threading.Event()

    def slow_check(dataset):
        release.wait(10)
        return check_paired(dataset)

    page = make_page(ab_folder(tmp_path / "ab"), check=slow_check)
    choose(page, "pix2pix", tmp_path / "ab")
    page.start_checked()
    page.buttons["stop"].click()
    assert page.state == "idle" and "cancelled" in log_text(page)
    release.set()
    qtbot.wait(300)
    assert page.started == []  # the late report is ignored


def test_non_paired_recipes_start_without_a_check(make_page):
    page = make_page()
    page.start_checked()
    assert len(page.started) == 1 and "Checking" not in log_text(page)


def test_the_direction_is_remembered(make_page, tmp_path):
    first = make_page(ab_folder(tmp_path / "ab"))
    choose(first, "pix2pix", tmp_path / "ab")
    first.form.direction.setCurrentIndex(first.form.direction.findData("BtoA"))
    first._save_settings()
    second = make_page()
    assert second.form.recipe() == "pix2pix" and second.form.overrides()["direction"] == "BtoA"


@pytest.mark.parametrize("button, answer", [("Train anyway", True), ("Cancel", False)])
def test_the_train_anyway_dialog_shows_the_report(qtbot, monkeypatch, tmp_path, button, answer):
    from PySide6.QtWidgets import QMessageBox

    from ganstudio.ui.widgets.data_check_gate import ask_train_anyway

    shown = []

    def press(box):
        shown.append((box.text(), box.informativeText(), box.detailedText()))
        next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    monkeypatch.setattr(QMessageBox, "exec", press)
    report = check_paired(ab_folder(tmp_path / "ab", broken=13))
    assert ask_train_anyway(None, report) is answer
    text, summary, details = shown[0]
    assert "13 problems" in text and "… and 1 more" in summary and details.count("\n") == 12


def test_paired_runs_title_the_preview_as_validation_pairs(qtbot, settings, tmp_path):
    from ganstudio.core.training.events import PreviewReady

    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None)
    qtbot.addWidget(page)
    jobs = []
    page.worker.start = lambda job, paused=False: jobs.append(job)  # no training thread: only the page's reaction
    page.show()
    page.start_run("pix2pix", str(ab_folder(tmp_path / "ab")), overrides={"direction": "BtoA"}, run_dir=tmp_path / "r")
    assert jobs[0].overrides["direction"] == "BtoA" and not page.previews.real_group.isVisible()
    page._on_worker_preview_ready(PreviewReady(5, np.zeros((8, 24, 3), np.uint8)))
    assert page.previews.fake_group.title() == "Validation pairs: input | output | target · step 5"
    page._set_state("idle")
    page.start_run("dcgan", "mnist", run_dir=tmp_path / "r2")
    assert page.previews.real_group.isVisible() and page.previews.fake_group.title() == "Generated (fixed z)"
    assert page.shutdown(timeout=5)

"""TrainPage: a tiny live run through the page, inline errors, resume with continued curves, remembered settings."""

from __future__ import annotations

import pytest

from ganstudio.ui.pages.train_page import TrainPage
from train_page_fixtures import MNIST, live_page



@pytest.fixture
def page(qtbot, settings):
    yield from live_page(qtbot, settings)


def test_a_tiny_run_through_the_page_draws_curves_and_samples(qtbot, page, tmp_path):
    with qtbot.waitSignal(page.run_finished, timeout=120_000) as blocker:
        run_dir = page.start_run("dcgan", MNIST, steps=6, run_dir=tmp_path / "run")
        assert page.state == "running" and not page.buttons["start"].isEnabled()
        assert page.buttons["pause"].isEnabled() and not page.buttons["step"].isEnabled()
    finished = blocker.args[0]
    assert finished.step == 6 and (run_dir / "model" / "manifest.json").exists()
    x, y = page.loss_plot.curve_data("g_loss")
    assert list(x) == [1, 2, 3, 4, 5, 6] and len(y) == 6
    assert len(page.loss_plot.curve_data("grad_norm_d")[0]) == 6
    assert not page.previews.fake_view.pixmap().isNull() and not page.previews.real_view.pixmap().isNull()
    assert page.stats.text("Step").startswith("6") and page.stats.text("Device") != "–"
    assert page.state == "idle" and page.buttons["start"].isEnabled()


def test_an_empty_data_folder_shows_an_inline_error_and_start_comes_back(qtbot, page, tmp_path, isolated_home):
    empty = tmp_path / "empty"
    empty.mkdir()
    with qtbot.waitSignal(page.run_failed, timeout=60_000) as blocker:
        run_dir = page.start_run("dcgan", str(empty), steps=4)
    assert run_dir.parent == isolated_home / "runs" and run_dir.name.startswith("dcgan-empty-")
    assert "no images" in blocker.args[0].lower()
    assert page._error.isVisible() and "no images" in page._error.text().lower()
    assert page.buttons["start"].isEnabled() and page.state == "idle"


def test_pause_step_once_and_learning_rate_change_while_running(qtbot, page, tmp_path):
    steps = []
    page.worker.events.steps_logged.connect(steps.extend)
    changes = []
    page.worker.events.learning_rates_changed.connect(changes.append)
    page.start_run("dcgan", MNIST, steps=10_000, run_dir=tmp_path / "run", paused=True)
    assert page.state == "paused" and page.buttons["step"].isEnabled()
    page.form.field("lr_g").setValue(1e-4)  # queued now, applied before the next step
    qtbot.waitUntil(lambda: page.stats.text("Device") != "–", timeout=120_000)
    page.buttons["step"].click()
    qtbot.waitUntil(lambda: len(steps) == 1, timeout=30_000)
    assert steps[0].lrs["lr_g"] == pytest.approx(1e-4)
    qtbot.waitUntil(lambda: bool(changes), timeout=10_000)
    assert "lr_g set to 0.0001" in changes[0].reason and changes[0].lrs["lr_g"] == pytest.approx(1e-4)
    page.buttons["resume"].click()
    qtbot.waitUntil(lambda: len(steps) >= 3, timeout=60_000)
    with qtbot.waitSignal(page.run_finished, timeout=60_000) as blocker:
        page.buttons["stop"].click()
        assert page.state == "stopping"
    assert blocker.args[0].reason == "stopped"


def test_resume_plots_the_saved_history_before_new_steps(qtbot, page, tmp_path):
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        run_dir = page.start_run("dcgan", MNIST, steps=4, run_dir=tmp_path / "run")
    finished = []
    page.run_finished.connect(finished.append)
    with qtbot.waitSignal(page.worker.events.history_loaded, timeout=60_000):
        assert page.resume_run(run_dir, steps=6)
    assert list(page.loss_plot.curve_data("d_loss")[0]) == [1, 2, 3, 4]
    qtbot.waitUntil(lambda: bool(finished), timeout=120_000)
    assert finished[0].step == 6
    assert list(page.loss_plot.curve_data("d_loss")[0]) == [1, 2, 3, 4, 5, 6]


def test_resuming_a_folder_that_is_not_a_run_shows_why(page, tmp_path):
    assert not page.resume_run(tmp_path)
    assert "run.json" in page._error.text()
    assert page.state == "idle"


def test_choices_are_remembered_in_the_injected_settings(qtbot, settings, tmp_path):
    first = TrainPage(settings, ask_folder=lambda: str(tmp_path))
    qtbot.addWidget(first)
    first.form.recipe_box.setCurrentIndex(first.form.recipe_box.findData("cdcgan"))
    first.form.dataset_box.setCurrentIndex(first.form.dataset_box.count() - 1)
    first.form.dataset_box.activated.emit(first.form.dataset_box.count() - 1)  # "Choose folder…" → tmp_path
    first.form.field("batch_size").setValue(24)
    first.form.field("lr_d").setValue(3e-4)
    first.loss_plot.set_smoothing(0.3)
    assert first.shutdown(timeout=5)
    second = TrainPage(settings)
    qtbot.addWidget(second)
    assert second.form.recipe() == "cdcgan" and second.form.dataset() == str(tmp_path)
    assert second.form.field("batch_size").value() == 24
    assert second.form.field("lr_d").value() == pytest.approx(3e-4)
    assert second.loss_plot.smoothing == pytest.approx(0.3)


def test_built_in_data_sets_come_first_and_set_their_image_size_and_learning_rates(qtbot, settings):
    page = TrainPage(settings)
    qtbot.addWidget(page)
    box = page.form.dataset_box
    names = [box.itemText(i) for i in range(box.count())]
    assert names[0].startswith("Flowers") and names[1].startswith("MNIST") and names[-1] == "Choose folder…"
    form = page.form
    assert form.overrides()["lr_g"] == pytest.approx(2e-4)  # flowers: the recipe's own rate
    box.setCurrentIndex(1)
    box.activated.emit(1)
    assert form.overrides()["image_size"] == 32
    # digits: the recipe's rates for MNIST-style data (the first digits come ~3× sooner), what the CLI uses too
    from ganstudio.ml.recipes import get

    assert (form.overrides()["lr_g"], form.overrides()["lr_d"]) == pytest.approx((5e-4, 5e-4))
    assert get("dcgan").config("idx").lr_g == pytest.approx(5e-4)
    form.loss_box.setCurrentIndex(form.loss_box.findData("wgan-gp"))  # a loss's own rates win over the data's
    assert form.overrides()["lr_g"] == pytest.approx(1e-4)
    form.loss_box.setCurrentIndex(form.loss_box.findData("ns"))
    assert form.overrides()["lr_g"] == pytest.approx(5e-4)
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("cdcgan"))  # another recipe: its data settings too
    assert form.overrides()["lr_d"] == pytest.approx(5e-4)
    form.field("ttur").setChecked(True)  # TTUR's rates win over the data's, and stay when the data changes
    box.setCurrentIndex(0)
    box.activated.emit(0)
    box.setCurrentIndex(1)
    box.activated.emit(1)
    assert (form.overrides()["lr_g"], form.overrides()["lr_d"]) == pytest.approx((1e-4, 4e-4))
    form.field("ttur").setChecked(False)
    assert form.overrides()["lr_g"] == pytest.approx(5e-4)
    box.setCurrentIndex(0)
    box.activated.emit(0)
    assert (form.overrides()["image_size"], form.overrides()["lr_g"]) == (64, pytest.approx(2e-4))
    assert page.shutdown(timeout=5)


def test_loss_plot_downsamples_long_histories_and_never_draws_backwards(qtbot):
    from ganstudio.core.training import events as ev
    from ganstudio.ui.widgets.loss_plot import LossPlot

    plot = LossPlot(max_points=500)
    qtbot.addWidget(plot)
    plot.show()
    plot.set_smoothing(0.5)
    steps = [ev.StepLogged(s, {"g_loss": float(s % 7)}, {"grad_norm_g": 1.0}, 1.0, 0.0) for s in range(1, 10_001)]
    plot.append_steps(steps)
    x, y = plot.curve_data("g_loss")
    assert 250 <= len(x) <= 501 and x[-1] == pytest.approx(10_000) and abs(y.mean() - 3) < 0.1
    plot.append_steps([ev.StepLogged(9_000, {"g_loss": 1.0}, {}, 1.0, 0.0)])  # a NaN rollback restarted at 9,000
    assert plot.history.steps[-1] == 9_000 and len(plot.history) == 9_000
    assert plot.curve_data("g_loss")[0][-1] == pytest.approx(9_000)


def test_resume_menu_lists_runs_under_runs_dir_newest_first(qtbot, page, isolated_home):
    import json
    import os

    for i, name in enumerate(("dcgan-mnist-old", "cdcgan-flowers64-new")):
        run = isolated_home / "runs" / name
        (run / "checkpoints" / "ckpt-000000040").mkdir(parents=True)
        config = {"recipe": name.split("-")[0], "dataset_name": "x", "dataset_path": MNIST}
        (run / "run.json").write_text(json.dumps({"format": 1, "config": config}))
        (run / "checkpoints" / "ckpt-000000040" / "meta.json").write_text(json.dumps({"step": 40 * (i + 1)}))
        os.utime(run / "run.json", (1000 + i, 1000 + i))
    (isolated_home / "runs" / "not-a-run").mkdir()
    page._on_resume_menu_about_to_show()
    texts = [a.text() for a in page.resume_menu.actions() if not a.isSeparator()]
    assert texts == ["cdcgan-flowers64-new  ·  cdcgan, step 80", "dcgan-mnist-old  ·  dcgan, step 40", "Open run folder…"]


def test_a_rollback_shows_the_halved_learning_rates_and_a_later_edit_keeps_them(qtbot, settings):
    """The Trainer halves both rates after a NaN; the form must follow, or the next edit of one rate would send the
    other's old value back to the run."""
    from ganstudio.core.training import events as ev

    page = TrainPage(settings)
    qtbot.addWidget(page)
    page.form.field("lr_g").setValue(2e-4)
    page.form.field("lr_d").setValue(4e-4)
    sent = []
    page.form.learning_rates_changed.connect(sent.append)
    page.worker.events(ev.LearningRatesChanged(7, {"lr_g": 1e-4, "lr_d": 2e-4}, "halved after NaN/Inf"))
    page.worker.events.drain()
    assert page.form.field("lr_g").value() == pytest.approx(1e-4)
    assert page.form.field("lr_d").value() == pytest.approx(2e-4)
    assert not sent  # showing the run's rates sends nothing back
    assert "G 0.0001" in page.stats.text("Learning rates") and "D 0.0002" in page.stats.text("Learning rates")
    page.form.field("lr_g").setValue(5e-5)
    assert sent[-1] == pytest.approx({"lr_g": 5e-5, "lr_d": 2e-4})


def test_the_form_is_generated_from_the_table_and_a_loss_brings_its_settings(qtbot, settings):
    page = TrainPage(settings)
    qtbot.addWidget(page)
    form = page.form
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("dcgan"))
    form.loss_box.setCurrentIndex(form.loss_box.findData("wgan-gp"))
    values = form.overrides()
    assert values["loss"] == "wgan-gp" and values["n_critic"] == 5
    assert (values["lr_g"], values["lr_d"]) == pytest.approx((1e-4, 1e-4))
    form.loss_box.setCurrentIndex(form.loss_box.findData("ns"))  # back: the recipe's own values return
    assert form.overrides()["n_critic"] == 1 and form.overrides()["lr_d"] == pytest.approx(2e-4)
    form.field("preset").setCurrentIndex(form.field("preset").findData("book"))
    assert (form.overrides()["ngf"], form.overrides()["kernel"]) == (64, 5)
    assert not form.is_shown("spectral_norm")  # tricks are folded, and still apply
    form.fields.show_tricks(True)
    assert form.is_shown("spectral_norm")
    form.field("ttur").setChecked(True)
    assert (form.overrides()["lr_g"], form.overrides()["lr_d"]) == pytest.approx((1e-4, 4e-4))
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("pix2pix"))  # no critic schedule, no z, no tricks
    assert "n_critic" not in form.overrides() and "z_dim" not in form.overrides()
    assert form.is_shown("loss") and form.loss_box.findData("wgan-gp") < 0

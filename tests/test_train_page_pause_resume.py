"""The Train page says a paused run is paused (and at which step), and a resumed run's learning-rate fields show the
rates its checkpoint left, not the stored config's (issue 13, item 6)."""

from __future__ import annotations

import pytest

from train_page_fixtures import MNIST, live_page



@pytest.fixture
def page(qtbot, settings):
    yield from live_page(qtbot, settings, dict(preview_every=1000, lr_g=2e-4, lr_d=2e-4), size=(1000, 700))


def test_a_paused_run_says_so_with_its_step_and_pause_stays_down(qtbot, page, tmp_path):
    status, pause = page.controls.status, page.buttons["pause"]
    assert not status.isVisible() and not pause.isChecked()
    steps = []
    page.worker.events.steps_logged.connect(steps.extend)
    page.start_run("dcgan", MNIST, steps=10_000, run_dir=tmp_path / "run", paused=True)
    assert status.isVisible() and status.text().startswith("Paused at step 0.") and pause.isChecked()
    qtbot.waitUntil(lambda: page.stats.text("Device") != "–", timeout=120_000)
    page.buttons["step"].click()
    qtbot.waitUntil(lambda: len(steps) == 1, timeout=30_000)
    assert status.text().startswith("Paused at step 1.")
    page.buttons["resume"].click()
    assert not status.isVisible() and not pause.isChecked() and page.state == "running"
    qtbot.waitUntil(lambda: len(steps) >= 3, timeout=60_000)
    pause.click()
    assert page.state == "paused" and pause.isChecked() and status.isVisible()
    qtbot.wait(1000)  # the step that was running when Pause was pressed still finishes and is logged
    assert status.text().startswith(f"Paused at step {steps[-1].step:,}.")
    assert page.stats.text("Step").startswith(f"{steps[-1].step:,}")
    with qtbot.waitSignal(page.run_finished, timeout=60_000):
        page.buttons["stop"].click()
    assert not status.isVisible() and not pause.isChecked()


def test_a_resumed_run_shows_the_learning_rates_its_checkpoint_left(qtbot, page, tmp_path):
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        run_dir = page.start_run("dcgan", MNIST, steps=2, run_dir=tmp_path / "run", paused=True)
        page.form.field("lr_g").setValue(5e-5)  # changed mid-run: the checkpoint keeps it, run.json does not
        page.buttons["resume"].click()
    page.form.field("lr_g").setValue(3e-4)  # whatever the form shows between runs must not win either
    with qtbot.waitSignal(page.worker.events.started, timeout=120_000):
        assert page.resume_run(run_dir, steps=10_000)
    assert page.form.field("lr_g").value() == pytest.approx(5e-5)
    assert page.form.field("lr_d").value() == pytest.approx(2e-4)
    assert "G 5e-05" in page.stats.text("Learning rates")
    with qtbot.waitSignal(page.run_finished, timeout=60_000):
        page.buttons["stop"].click()

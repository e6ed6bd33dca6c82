"""Runs from the Train page keep their grids in samples/ as the CLI's do, the step slider goes back over them, and a
resumed run shows its newest saved grid before it trains (issue 13, item 6). Tiny MNIST runs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ganstudio.core.training.sample_folder import SampleFolderSink
from train_page_fixtures import MNIST, live_page



@pytest.fixture
def page(qtbot, settings):
    yield from live_page(qtbot, settings)


def test_page_runs_save_grids_the_slider_goes_back_over_and_a_resume_shows_at_once(qtbot, page, tmp_path):
    previews, slider = page.previews, page.previews.step_slider
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        run_dir = page.start_run("dcgan", MNIST, steps=6, run_dir=tmp_path / "run")
    samples = sorted(p.name for p in (run_dir / "samples").iterdir())
    assert samples == ["real.png", "step-000000002.png", "step-000000004.png", "step-000000006.png"]
    assert slider.steps == [2, 4, 6] and slider.current_step() == 6 and slider.slider.isEnabled()
    newest = previews.fake_view.pixmap().toImage()
    qtbot.keyClick(slider.slider, Qt.Key.Key_Left)
    assert slider.current_step() == 4 and previews.fake_group.title().endswith("step 4")
    assert previews.fake_view.pixmap().toImage() != newest and slider.label.text() == "Step 4 · 2/3"
    qtbot.keyClick(slider.slider, Qt.Key.Key_Right)
    assert previews.fake_view.pixmap().toImage() == newest

    at_start = []  # what the previews hold when the resumed run starts, before any new grid
    page.worker.events.started.connect(
        lambda _: at_start.append((previews.fake_view.pixmap().isNull(), list(slider.steps))))
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        assert page.resume_run(run_dir, steps=8)
    assert at_start == [(False, [2, 4, 6])]
    assert slider.steps == [2, 4, 6, 8] and slider.current_step() == 8


def test_a_run_from_the_page_writes_samples_through_the_same_sink_as_the_cli(qtbot, page, tmp_path):
    """Every recipe's page job (SEGAN's spectrograms and clips too) gets the run builder's SampleFolderSink."""
    from ganstudio.ml.training.run_builder import _folder_sinks

    jobs = []
    page.worker.start = lambda job, paused=False: jobs.append(job)
    page.start_run("segan", "unused", run_dir=tmp_path / "r")
    sinks = _folder_sinks(jobs[0], None)
    assert [type(s) for s in sinks] == [SampleFolderSink] and sinks[0].folder == tmp_path / "r" / "samples"

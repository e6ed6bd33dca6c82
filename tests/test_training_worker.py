"""TrainingWorker + EventBridge: real tiny runs on the built-in MNIST digits, driven through Qt signals."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.training import events as ev
from ganstudio.paths import resources_dir
from ganstudio.workers.event_bridge import EventBridge
from ganstudio.workers.training_worker import TrainingWorker, TrainJob

MNIST = str(resources_dir() / "data" / "mnist")
TINY = dict(image_size=16, ngf=8, ndf=8, batch_size=16, xla=False, preview_every=2, checkpoint_every=1000,
            preview_count=4)


class Recorder:
    """Collects everything a worker's bridge delivers."""

    def __init__(self, bridge: EventBridge) -> None:
        self.steps: list[ev.StepLogged] = []
        self.previews: list[ev.PreviewReady] = []
        self.started: list[ev.Started] = []
        self.prepared, self.checkpoints, self.failures, self.histories = [], [], [], []
        bridge.steps_logged.connect(self.steps.extend)
        bridge.preview_ready.connect(self.previews.append)
        bridge.started.connect(self.started.append)
        bridge.prepared.connect(self.prepared.append)
        bridge.checkpoint_saved.connect(self.checkpoints.append)
        bridge.failed.connect(self.failures.append)
        bridge.history_loaded.connect(self.histories.append)


@pytest.fixture
def worker(qtbot):
    worker = TrainingWorker()
    yield worker
    assert worker.shutdown(timeout=60), "the training thread did not end"


def tiny_job(tmp_path, steps: int, name: str = "run", **extra) -> TrainJob:
    return TrainJob("dcgan", MNIST, tmp_path / name, steps, {**TINY, **extra}, tensorboard=False)


def run_to_end(qtbot, worker: TrainingWorker, job: TrainJob, timeout_ms: int = 120_000) -> ev.Finished:
    with qtbot.waitSignal(worker.events.finished, timeout=timeout_ms) as blocker:
        worker.start(job)
    return blocker.args[0]


def test_a_tiny_run_reports_steps_previews_and_a_model(qtbot, worker, tmp_path):
    seen = Recorder(worker.events)
    finished = run_to_end(qtbot, worker, tiny_job(tmp_path, 6))
    assert finished.reason == "completed" and finished.step == 6
    assert (tmp_path / "run" / "model" / "manifest.json").exists() and finished.model_dir
    assert [s.step for s in seen.steps] == [1, 2, 3, 4, 5, 6]
    assert set(seen.steps[0].losses) >= {"d_loss", "g_loss", "d_real", "d_fake"}
    assert set(seen.steps[0].grad_norms) == {"grad_norm_d", "grad_norm_g"}
    assert seen.started[0].device and seen.started[0].total_steps == 6
    assert seen.prepared[0].config["image_size"] == 16 and seen.prepared[0].items > 0
    kinds = {p.kind for p in seen.previews}
    assert kinds == {"fake", "real"}
    for preview in seen.previews:
        assert isinstance(preview.grid, np.ndarray) and preview.grid.dtype == np.uint8 and preview.grid.ndim == 3


def test_pause_then_step_once_advances_exactly_one_step(qtbot, worker, tmp_path):
    seen = Recorder(worker.events)
    worker.start(tiny_job(tmp_path, 50), paused=True)  # the run builds, then waits for a turn
    qtbot.waitUntil(lambda: bool(seen.started), timeout=120_000)
    qtbot.wait(300)
    assert seen.steps == []
    worker.step_once()
    qtbot.waitUntil(lambda: len(seen.steps) == 1, timeout=30_000)
    qtbot.wait(400)  # a second step would be logged by now if the pause leaked
    assert [s.step for s in seen.steps] == [1]
    with qtbot.waitSignal(worker.events.finished, timeout=60_000) as blocker:
        worker.stop()
    assert blocker.args[0].reason == "stopped" and blocker.args[0].step == 1


def test_stop_ends_early_with_a_checkpoint_and_resume_continues_the_history(qtbot, worker, tmp_path):
    seen = Recorder(worker.events)
    worker.start(tiny_job(tmp_path, 10_000))
    qtbot.waitUntil(lambda: len(seen.steps) >= 3, timeout=120_000)
    with qtbot.waitSignal(worker.events.finished, timeout=60_000) as blocker:
        worker.stop()
    stopped_at = blocker.args[0].step
    assert blocker.args[0].reason == "stopped" and 3 <= stopped_at < 10_000
    assert seen.checkpoints and seen.checkpoints[-1].step == stopped_at
    assert (tmp_path / "run" / "model" / "manifest.json").exists()

    resumed = Recorder(worker.events)
    job = TrainJob("", None, tmp_path / "run", stopped_at + 2, tensorboard=False, resume=True)
    finished = run_to_end(qtbot, worker, job)
    assert resumed.histories and resumed.histories[0].step == stopped_at
    assert resumed.histories[0].history.steps == list(range(1, stopped_at + 1))
    assert resumed.started[0].resumed and resumed.started[0].step == stopped_at
    assert [s.step for s in resumed.steps] == [stopped_at + 1, stopped_at + 2]
    assert finished.step == stopped_at + 2


def test_an_empty_data_folder_fails_with_a_message_and_leaves_the_worker_idle(qtbot, worker, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with qtbot.waitSignal(worker.events.failed, timeout=30_000) as blocker:
        worker.start(TrainJob("dcgan", str(empty), tmp_path / "run", 4, dict(TINY), tensorboard=False))
    assert "no images" in blocker.args[0].lower()
    assert not worker.is_running and worker.wait(30)


def test_bridge_coalesces_steps_and_keeps_only_the_latest_preview(qtbot):
    bridge = EventBridge()
    batches, previews = [], []
    bridge.steps_logged.connect(batches.append)
    bridge.preview_ready.connect(previews.append)
    grid = np.zeros((4, 4, 3), np.uint8)
    for step in range(1, 101):
        bridge(ev.StepLogged(step, {"d_loss": 1.0}, {}, 10.0, 0.1))
        bridge(ev.PreviewReady(step, grid + step % 200))
    with qtbot.waitSignal(bridge.steps_logged, timeout=2000):
        pass
    assert len(batches) == 1 and [s.step for s in batches[0]] == list(range(1, 101))
    assert [p.step for p in previews] == [100]


def test_new_run_folders_are_named_by_recipe_data_set_and_time(tmp_path):
    from ganstudio.workers.catalog import new_run_dir

    first = new_run_dir("dcgan", "Flowers 64", now=0, root=tmp_path)
    assert first.parent == tmp_path and first.name.startswith("dcgan-flowers-64-19")
    first.mkdir()
    assert new_run_dir("dcgan", "Flowers 64", now=0, root=tmp_path).name == first.name + "-2"

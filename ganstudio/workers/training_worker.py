"""Runs the Qt-free Trainer in a thread it owns and reports through an EventBridge (throttled Qt signals).

Everything slow (importing TensorFlow, loading the data set, building and compiling the networks) happens on the
training thread; the GUI thread only posts control requests and receives signals.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject

from ganstudio.core.training import events as ev
from ganstudio.core.training.control import Control
from ganstudio.core.errors import StudioError
from ganstudio.core.training.run_request import RunRequest
from ganstudio.workers.event_bridge import EventBridge, HistoryLoaded, Prepared, SavedGrids

log = logging.getLogger(__name__)


TrainJob = RunRequest  # one training request of the page: the same run builder as `ganstudio train`


class TrainingWorker(QObject):
    """Start one run at a time; pause, resume, step once, stop and change learning rates while it runs."""

    def __init__(self, parent: QObject | None = None, events: EventBridge | None = None) -> None:
        super().__init__(parent)
        self.events = events or EventBridge(self)
        self._control = Control()
        self._thread: threading.Thread | None = None
        self._ending_threads: list[threading.Thread] = []

    # ---- lifecycle ----------------------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """True from start() until the run has posted Finished or Failed."""
        return self._thread is not None and self._thread.is_alive() and not self.events.run_ended

    def start(self, job: TrainJob, paused: bool = False) -> None:
        """Begin a run on a new thread (`paused`: build it, then wait for resume/step_once); RuntimeError if busy."""
        if self.is_running:
            raise RuntimeError("A training run is still in progress; stop it first.")
        if self._thread is not None and self._thread.is_alive():
            # Past Finished, the old thread only tears down (tf.data can take seconds); never make the GUI wait.
            self._ending_threads.append(self._thread)
        self.events.clear()
        self._control = Control()
        if paused:
            self._control.pause()
        self._thread = threading.Thread(target=self._run, args=(job, self._control), name="training", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Join the training thread(s) within `timeout` seconds in all; True when none is left."""
        deadline = None if timeout is None else time.monotonic() + timeout
        threads = [*self._ending_threads, *([self._thread] if self._thread else [])]
        for thread in threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        self._ending_threads = [t for t in self._ending_threads if t.is_alive()]
        return not any(t.is_alive() for t in threads)

    def shutdown(self, timeout: float = 60.0) -> bool:
        """Stop (the Trainer checkpoints and exports first) and wait up to `timeout` s; True when the thread ended."""
        self._control.stop()
        return self.wait(timeout)

    # ---- control (any thread) -----------------------------------------------------------------------------------
    def pause(self) -> None:
        self._control.pause()

    def resume(self) -> None:
        self._control.resume()

    def step_once(self) -> None:
        self._control.step_once()

    def stop(self) -> None:
        self._control.stop()

    def set_learning_rates(self, **lrs: float) -> None:
        """Learning rates by config field (lr_g=…, lr_d=…); the run applies them before its next step."""
        if lrs:
            self._control.set_hyperparameters(**lrs)

    @property
    def paused(self) -> bool:
        return self._control.paused

    # ---- the training thread ------------------------------------------------------------------------------------
    def _run(self, job: TrainJob, control: Control) -> None:
        try:
            trainer = self._make_trainer(job, control)
            trainer.run()
        except Exception as err:  # noqa: BLE001 - every failure must reach the page as `failed`
            if not isinstance(err, StudioError):
                log.exception("training failed")
            if not self.events.run_ended:  # the Trainer posts Failed itself for errors inside run()
                self.events(ev.Failed(0, str(err)))

    def _make_trainer(self, job: TrainJob, control: Control):
        from ganstudio.ml.training.run_builder import make_trainer, prepare_run

        prepared = prepare_run(job)
        config, data = prepared.config, prepared.data
        self.events(Prepared(dataclasses.asdict(config), str(job.run_dir), len(data), list(data.skipped)))
        self._post_skipped(data.skipped)
        resumes_at = self._post_history(Path(job.run_dir)) if job.resume else 0
        self._post_saved_grids(job, resumes_at)
        return make_trainer(prepared, [self.events], control)

    def _post_skipped(self, skipped: list[str]) -> None:
        if skipped:
            examples = "; ".join(skipped[:3])
            more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
            self.events(ev.Notice(0, f"Skipped {len(skipped)} unreadable files: {examples}{more}."))

    def _post_history(self, run_dir: Path) -> int:
        """Send the loss history of the checkpoint the run will resume from (the newest intact one: the Trainer
        says which damaged ones it passed over) so the curves continue before new steps arrive; return its step."""
        from ganstudio.ml.training.checkpoint_check import newest_intact
        from ganstudio.ml.training.checkpoints import CheckpointStore

        latest, _ = newest_intact(CheckpointStore(run_dir))
        if latest is not None:
            history, _ = CheckpointStore.load_extras(latest.path)
            history.truncate(latest.step)
            self.events(HistoryLoaded(history, latest.step))
        return latest.step if latest is not None else 0

    def _post_saved_grids(self, job: TrainJob, resumes_at: int) -> None:
        """Tell the page where this run's grids go and which are there already (a resumed run's, up to the step it
        goes on from), with the newest and the real one read here, off the GUI thread, to show before training."""
        from ganstudio.core.training.sample_folder import REAL_NAME, grid_path, read_grid, saved_steps

        if not job.samples:
            self.events(SavedGrids("", []))
            return
        folder = Path(job.run_dir) / "samples"
        steps = saved_steps(folder, upto=resumes_at) if resumes_at else []
        newest = read_grid(grid_path(folder, steps[-1])) if steps else None
        real = read_grid(folder / REAL_NAME) if resumes_at else None
        self.events(SavedGrids(str(folder), steps, newest, real))

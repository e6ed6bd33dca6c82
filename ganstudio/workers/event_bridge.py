"""Engine events → Qt signals, throttled: the training thread calls the bridge (a plain sink); the GUI thread
drains it.

At most ~30 deliveries a second reach the GUI however fast the engine logs: StepLogged events are coalesced into one
list per delivery and only the latest preview of each kind is kept, so a fast run can never flood the event loop.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from ganstudio.core.training import events as ev

MIN_INTERVAL_S = 1 / 30


@dataclass(frozen=True)
class Prepared:
    """The worker loaded the data and resolved the config (a TrainConfig as a dict); training is about to start."""

    config: dict
    run_dir: str
    items: int  # training items: images, pairs, or clean speech recordings
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryLoaded:
    """A resumed run's loss history (core.history.LossHistory), delivered before its first new step."""

    history: object
    step: int


@dataclass(frozen=True)
class SavedGrids:
    """The run's samples/ folder ("" when the run saves no samples) and the grids already in it: their steps (up to
    the step a resumed run goes on from) and the newest one and the real one, read, so a resumed run shows its
    previews before the networks are even built."""

    folder: str
    steps: list[int]
    newest: object = None  # uint8 (H, W, C) or None
    real: object = None


class EventBridge(QObject):
    prepared = Signal(object)  # Prepared
    history_loaded = Signal(object)  # HistoryLoaded
    saved_grids = Signal(object)  # SavedGrids
    started = Signal(object)  # events.Started
    steps_logged = Signal(list)  # list[events.StepLogged] since the last delivery, oldest first
    preview_steps = Signal(list)  # steps of every generated preview since the last delivery, even those coalesced
    preview_ready = Signal(object)  # events.PreviewReady, the latest of its kind
    metric_computed = Signal(object)  # events.MetricComputed
    checkpoint_saved = Signal(object)  # events.CheckpointSaved
    notice_posted = Signal(str)
    learning_rates_changed = Signal(object)  # events.LearningRatesChanged: the run changed them (rollback) or applied them
    alarm_raised = Signal(object)  # events.AlarmRaised: every one, in order (never coalesced like steps)
    finished = Signal(object)  # events.Finished
    failed = Signal(str)
    _woken = Signal()  # crosses from the training thread to the GUI thread (queued)

    def __init__(self, parent: QObject | None = None, min_interval_s: float = MIN_INTERVAL_S) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list = []
        self._last_drain = 0.0
        self._min_interval_ms = int(min_interval_s * 1000)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.drain)
        self._woken.connect(self._on_self_woken)
        self.run_ended = False  # a Finished or Failed has been posted since the last clear()

    # ---- training-thread side -----------------------------------------------------------------------------------
    def __call__(self, event) -> None:
        """The engine sink: cheap and non-blocking; wakes the GUI thread only when the queue was empty."""
        with self._lock:
            was_empty = not self._pending
            self._pending.append(event)
            if isinstance(event, (ev.Finished, ev.Failed)):
                self.run_ended = True
        if was_empty:
            self._woken.emit()

    def clear(self) -> None:
        """Forget undelivered events (before a new run starts)."""
        with self._lock:
            self._pending.clear()
            self.run_ended = False

    # ---- GUI-thread side ----------------------------------------------------------------------------------------
    def _on_self_woken(self) -> None:
        if self._timer.isActive():
            return
        since_ms = (time.perf_counter() - self._last_drain) * 1000
        self._timer.start(max(0, int(self._min_interval_ms - since_ms)))

    def drain(self) -> None:
        """Deliver everything pending: other events in order, then the coalesced steps, latest previews, the end."""
        with self._lock:
            events, self._pending = self._pending, []
        self._last_drain = time.perf_counter()
        steps, previews, endings, grid_steps = [], {}, [], []
        for event in events:
            if isinstance(event, ev.StepLogged):
                steps.append(event)
            elif isinstance(event, ev.PreviewReady):
                previews[event.kind] = event
                if event.kind == "fake":  # samples/ holds a grid of each, so the step slider lists them all
                    grid_steps.append(event.step)
            elif isinstance(event, (ev.Finished, ev.Failed)):
                endings.append(event)
            else:
                self._deliver(event)
        if steps:
            self.steps_logged.emit(steps)
        if grid_steps:
            self.preview_steps.emit(grid_steps)
        for preview in previews.values():
            self.preview_ready.emit(preview)
        for event in endings:
            self._deliver(event)

    def _deliver(self, event) -> None:
        signal_for = {Prepared: self.prepared, HistoryLoaded: self.history_loaded, SavedGrids: self.saved_grids,
                      ev.Started: self.started, ev.MetricComputed: self.metric_computed,
                      ev.CheckpointSaved: self.checkpoint_saved,
                      ev.AlarmRaised: self.alarm_raised, ev.LearningRatesChanged: self.learning_rates_changed,
                      ev.Finished: self.finished}
        if isinstance(event, ev.Notice):
            self.notice_posted.emit(event.message)
        elif isinstance(event, ev.Failed):
            self.failed.emit(event.error)
        elif type(event) in signal_for:
            signal_for[type(event)].emit(event)

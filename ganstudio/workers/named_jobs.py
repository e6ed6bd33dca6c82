"""Named background jobs with progress and cancel: one job per name at a time (starting a name again cancels and
drops the older one), results handed to the GUI thread, progress throttled so a fast loop never floods the GUI."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ganstudio.workers.background_loader import ServiceThreads
from ganstudio.workers.latest_wins import describe_error

PROGRESS_INTERVAL_S = 0.05  # at most 20 progress updates a second per job

# work(report, cancelled, *args): report(fraction 0..1) as it goes; raise JobCancelled once cancelled() is True
Report = Callable[[float], None]
Work = Callable[..., Any]


class JobCancelled(Exception):
    """Raised by a job's work when it noticed the cancel request."""


class NamedJobs(QObject):
    progressed = Signal(str, float)  # name, fraction done
    done = Signal(str, object)  # name, result
    failed = Signal(str, str)  # name, user-facing message
    cancelled = Signal(str)  # name
    _finished = Signal(str, int, str, object)  # name, generation, outcome, payload: to the GUI thread
    _progress = Signal(str, int, float)

    def __init__(self, threads: ServiceThreads, prefix: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads, self._prefix = threads, prefix
        self._generations: dict[str, int] = {}
        self._cancels: dict[str, threading.Event] = {}
        self._finished.connect(self._on_finished)
        self._progress.connect(self._on_progress)

    def start(self, name: str, work: Work, *args: Any) -> None:
        """Run work(report, cancelled, *args) on a worker thread; an older job of this name is cancelled."""
        self.cancel(name)
        generation = self._generations.get(name, 0) + 1
        self._generations[name] = generation
        event = self._cancels[name] = threading.Event()
        self._threads.start(self._run, name, generation, event, work, args, name=f"{self._prefix}-{name}")

    def cancel(self, name: str) -> None:
        """Ask the running job of this name to stop; `cancelled` follows when it does."""
        if name in self._cancels:
            self._cancels[name].set()

    def running(self, name: str) -> bool:
        return name in self._cancels and not self._cancels[name].is_set()

    def cancel_all(self) -> None:
        for name in list(self._cancels):
            self.cancel(name)
            self._generations[name] += 1  # nothing of theirs is announced any more (shutdown)

    def _run(self, name: str, generation: int, event: threading.Event, work: Work, args: tuple) -> None:
        last = [0.0]

        def report(fraction: float) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
                last[0] = now
                self._progress.emit(name, generation, float(fraction))

        try:
            result = work(report, event.is_set, *args)
        except JobCancelled:
            self._finished.emit(name, generation, "cancelled", None)
        except Exception as err:  # noqa: BLE001 - a bad file or model is reported on the page, never a crash
            self._finished.emit(name, generation, "failed", describe_error(err))
        else:
            outcome = "cancelled" if event.is_set() else "done"
            self._finished.emit(name, generation, outcome, result)

    def _current(self, name: str, generation: int) -> bool:
        return self._generations.get(name) == generation

    def _on_progress(self, name: str, generation: int, fraction: float) -> None:
        if self._current(name, generation):
            self.progressed.emit(name, fraction)

    def _on_finished(self, name: str, generation: int, outcome: str, payload: Any) -> None:
        if not self._current(name, generation):
            return  # replaced by a newer job of the same name, or shut down
        self._cancels.pop(name, None)
        if outcome == "done":
            self.done.emit(name, payload)
        elif outcome == "failed":
            self.failed.emit(name, payload)
        else:
            self.cancelled.emit(name)

"""Background model loading for the pages' services: the newest load() wins (a slower, older load's result or
error is dropped), and the loaded session is handed over on the GUI thread. Also the set of worker threads a
service joins on shutdown."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ganstudio.workers.latest_wins import describe_error

# load_fn(path, still_wanted) -> (session, info), or None once still_wanted() is False (a newer load replaced it)
LoadFunction = Callable[[str, Callable[[], bool]], tuple[Any, Any] | None]
AfterLoad = Callable[[Any, Callable[[], bool]], None]


class ServiceThreads:
    """The daemon threads a service started (loads, jobs, exports), so its shutdown can join them all."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def start(self, target: Callable[..., Any], *args: Any, name: str) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def join(self, timeout: float) -> None:
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()


class BackgroundLoader(QObject):
    loaded = Signal(object, object)  # session, info: on the GUI thread, and only for the newest load
    failed = Signal(str)  # the newest load failed: user-facing text
    _ready = Signal(object, object, int)  # session, info, generation: handed over to the GUI thread

    def __init__(self, load_fn: LoadFunction, threads: ServiceThreads, name: str, parent: QObject | None = None,
                 after_load: AfterLoad | None = None) -> None:
        """`after_load(session, still_wanted)` runs on the loading thread once the session was handed over (slow
        extras such as slider directions, which the page can do without at first)."""
        super().__init__(parent)
        self._load_fn, self._threads, self._name, self._after_load = load_fn, threads, name, after_load
        self._generation = 0  # a newer load() makes an older, slower one's result stale
        self._ready.connect(self._on_ready)

    def load(self, path: str) -> None:
        """Start loading `path` in the background: `loaded` or `failed` follows, unless a newer load() comes first."""
        self._generation += 1
        self._threads.start(self._run, str(path), self._generation, name=self._name)

    def cancel(self) -> None:
        """Drop whatever is loading now (shutdown): its result or error is never delivered."""
        self._generation += 1

    def _run(self, path: str, generation: int) -> None:
        def still_wanted() -> bool:
            return generation == self._generation

        try:
            result = self._load_fn(path, still_wanted)
        except Exception as err:  # noqa: BLE001 - shown inline on the page
            if still_wanted():
                self.failed.emit(describe_error(err))
            return
        if result is None:
            return  # superseded, or shut down, while loading
        self._ready.emit(*result, generation)
        if self._after_load is not None:
            self._after_load(result[0], still_wanted)

    def _on_ready(self, session: Any, info: Any, generation: int) -> None:
        if generation == self._generation:
            self.loaded.emit(session, info)

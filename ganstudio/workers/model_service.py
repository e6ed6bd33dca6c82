"""The common ground of the pages' model services (Latent, Sketch): one session loaded in the background (the newest
load wins), a latest-wins runner for previews, and worker threads that shutdown() joins. Subclasses say how to load,
how to render, and what to announce."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ganstudio.workers.background_loader import BackgroundLoader, ServiceThreads
from ganstudio.workers.latest_wins import LatestWinsRunner


class ModelService(QObject):
    load_failed = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None, runner_name: str = "") -> None:
        """Threads are named "<name>-…" (the loader "<name>-load"; the runner `runner_name`, else "<name>-render")."""
        super().__init__(parent)
        self._session: Any = None
        self._threads = ServiceThreads()
        self._loader = BackgroundLoader(self._load, self._threads, f"{name}-load", self, after_load=self._after_load)
        self._loader.loaded.connect(self._on_loader_loaded)
        self._loader.failed.connect(self.load_failed)
        self._runner = LatestWinsRunner(self._render, self, name=runner_name or f"{name}-render")

    @property
    def runner(self) -> LatestWinsRunner:
        return self._runner

    @property
    def has_model(self) -> bool:
        return self._session is not None

    def load(self, path: str) -> None:
        """Load a model folder (or a run folder) in the background; a newer load() makes this one's result stale."""
        self._loader.load(path)

    def _load(self, path: str, still_wanted: Callable[[], bool]) -> tuple[Any, Any] | None:
        """On the loading thread: (session, info), or None once still_wanted() is False. Errors are reported."""
        raise NotImplementedError

    def _after_load(self, session: Any, still_wanted: Callable[[], bool]) -> None:
        """On the loading thread, once the session was handed over: slow extras the page can start without."""

    def _render(self, request: Any) -> Any:
        """On the runner's thread: one preview."""
        raise NotImplementedError

    def _on_loader_loaded(self, session: Any, info: Any) -> None:
        """On the GUI thread, so a render request never pairs the new session with the old model's input."""
        self._session = session
        self._session_adopted(info)

    def _session_adopted(self, info: Any) -> None:
        """Announce the newly loaded model (the subclass's own signal)."""
        raise NotImplementedError

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop rendering and join every thread (a model load in flight is allowed to finish, unannounced)."""
        self._loader.cancel()
        self._runner.shutdown(timeout)
        self._threads.join(timeout)

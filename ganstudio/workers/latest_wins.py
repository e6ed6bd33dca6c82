"""A "latest request wins" runner for slider previews: one background thread, at most one pending request.

A new request replaces the pending one, so a fast slider never builds a queue of stale renders; the render in
progress finishes (renders are short and not interruptible) and the next one is always the newest request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


def describe_error(err: BaseException) -> str:
    """User-facing text: StudioErrors already say what to do; anything else gets its type for the bug report."""
    from ganstudio.core.errors import StudioError

    return str(err) if isinstance(err, StudioError) else f"{type(err).__name__}: {err}"


class LatestWinsRunner(QObject):
    delivered = Signal(int, object)  # request id, result (emitted from the worker, received on the GUI thread)
    failed = Signal(int, str)  # request id, message

    def __init__(self, render: Callable[[Any], Any], parent: QObject | None = None, name: str = "latest-wins") -> None:
        super().__init__(parent)
        self._render = render
        self._name = name
        self._cond = threading.Condition()
        self._pending: tuple[int, Any] | None = None
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._next_id = 0
        self.rendered_count = 0
        self.dropped_count = 0

    def submit(self, request: Any) -> int:
        """Queue `request`, replacing any request still waiting; returns its id (ids increase)."""
        with self._cond:
            if self._stopping:
                raise RuntimeError("submit() after shutdown()")
            self._next_id += 1
            if self._pending is not None:
                self.dropped_count += 1
            self._pending = (self._next_id, request)
            self._ensure_thread()
            self._cond.notify_all()
            return self._next_id

    def _ensure_thread(self) -> None:
        if self._thread is None:  # started on first use, so an unused runner costs no thread
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                (request_id, request), self._pending = self._pending, None
                self._busy = True
            self._run_one(request_id, request)

    def _run_one(self, request_id: int, request: Any) -> None:
        try:
            result = self._render(request)
        except Exception as err:  # noqa: BLE001 - a failed render is reported, the runner keeps serving
            self.failed.emit(request_id, describe_error(err))
        else:
            self.delivered.emit(request_id, result)
        finally:
            with self._cond:
                self._busy = False
                self.rendered_count += 1
                self._cond.notify_all()

    def is_idle(self) -> bool:
        with self._cond:
            return self._pending is None and not self._busy

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until nothing is pending or running (tests, benchmarks, shutdown); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Drop any pending request, let the current render finish, and join the thread."""
        with self._cond:
            self._stopping = True
            self._pending = None
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

"""Thread-safe control of a running training loop: stop, pause/resume, step once, change hyperparameters.

The UI (or CLI) calls the setters from any thread; the engine calls `wait_turn()` and `take_changes()` between steps.
"""

from __future__ import annotations

import threading


class Control:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._paused = False
        self._stopped = False
        self._step_tokens = 0
        self._changes: dict[str, float] = {}

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def stop_requested(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def pause(self) -> None:
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def step_once(self) -> None:
        """While paused, allow exactly one more D+G update."""
        with self._cond:
            self._step_tokens += 1
            self._cond.notify_all()

    def set_hyperparameters(self, **values: float) -> None:
        """Queue changes (e.g. lr_g=1e-4); the engine applies them before its next step."""
        with self._cond:
            self._changes.update(values)

    def take_changes(self) -> dict[str, float]:
        with self._cond:
            changes, self._changes = self._changes, {}
        return changes

    def wait_turn(self, on_pause=None) -> bool:
        """Block while paused (a step token lets one step through). Returns False when stop was requested.

        `on_pause` is called once, without the lock, when the loop is about to block (so it can flush logs).
        """
        with self._cond:
            if self._paused and not self._stopped and self._step_tokens == 0 and on_pause is not None:
                self._cond.release()
                try:
                    on_pause()
                finally:
                    self._cond.acquire()
            while self._paused and not self._stopped and self._step_tokens == 0:
                self._cond.wait()
            if self._stopped:
                return False
            if self._paused:
                self._step_tokens -= 1
            return True

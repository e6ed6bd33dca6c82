"""`mnist_seconds_to_digits`: wall seconds from Start (a user's default DCGAN on the built-in MNIST digits) until the
shipped digit classifier calls half the fixed-z preview grid digits with confidence ≥ 0.9."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.training import events as ev
from ganstudio.core.training.control import Control
from ganstudio.core.grid import untile

GOAL, CONFIDENCE = 0.5, 0.9
PREVIEW_EVERY = 25  # how often the grid is looked at: a measurement setting, not a training one
ENDLESS = 10**7  # steps: the watch, not the step count, ends the run


@dataclass
class DigitsResult:
    seconds: float  # from Start until the goal, or the cap when it was not reached
    reached: bool
    history: list[tuple[float, int, float]] = field(default_factory=list)  # (seconds, step, digit rate) per preview

    @property
    def best(self) -> tuple[float, int, float]:
        return max(self.history, key=lambda h: h[2], default=(self.seconds, 0, 0.0))


class DigitWatch:
    """A sink: scores each fixed-z preview grid; stops the run at the goal, or once the cap has passed."""

    def __init__(self, session, control: Control, count: int, started: float, cap_s: float,
                 on_preview: Callable[[float, int, float], None] | None = None) -> None:
        self.session, self.control, self.count = session, control, count
        self.started, self.cap_s, self.on_preview = started, cap_s, on_preview
        self.history: list[tuple[float, int, float]] = []
        self.reached_at: float | None = None

    def __call__(self, event) -> None:
        from ganstudio.ml.evaluation.digits import digit_rate

        elapsed = time.perf_counter() - self.started  # when the grid reached the page, before it is scored
        if isinstance(event, ev.PreviewReady) and event.kind == "fake" and self.reached_at is None:
            rate = digit_rate(self.session, untile(event.grid, self.count), CONFIDENCE)
            self.history.append((elapsed, event.step, rate))
            if self.on_preview:
                self.on_preview(elapsed, event.step, rate)
            if rate >= GOAL and elapsed <= self.cap_s:  # not the grid of the stop the cap asked for
                self.reached_at = elapsed
                self.control.stop()
        if elapsed > self.cap_s:
            self.control.stop()

    def result(self) -> DigitsResult:
        reached = self.reached_at is not None
        return DigitsResult(self.reached_at if reached else self.cap_s, reached, self.history)


def seconds_to_digits(overrides: dict | None = None, cap_s: float = 600.0, preview_every: int = PREVIEW_EVERY,
                      on_preview: Callable[[float, int, float], None] | None = None) -> DigitsResult:
    """Train `dcgan` on the built-in MNIST with prepare()'s defaults (plus `overrides`, e.g. a lean net) and time it.
    The clock starts before the data is loaded, as a press of Start does; TensorFlow and the classifier are warm
    already, as they are in the app."""
    from ganstudio.ml.evaluation.digits import digit_session
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.trainer import Trainer

    session = digit_session()
    session.embed(np.zeros((1, session.image_size, session.image_size, session.channels), np.uint8))  # trace it now
    control, started = Control(), time.perf_counter()
    data, config = prepare("dcgan", resolve_dataset("mnist"), {**(overrides or {}), "preview_every": preview_every})
    watch = DigitWatch(session, control, config.preview_count, started, cap_s, on_preview)
    with tempfile.TemporaryDirectory() as tmp:
        Trainer(config, data, Path(tmp) / "run", ENDLESS, [watch], control=control).run()
    return watch.result()

"""`mnist_seconds_to_digits`'s watch, fed preview events by hand: it scores the fixed-z grid, stops the run at half
digits, and stops it at the cap (reporting the cap) when that never happens."""

from __future__ import annotations

import time

import numpy as np
import pytest

from ganstudio.bench.train_digits import DigitWatch
from ganstudio.core.training import events as ev
from ganstudio.core.training.control import Control
from ganstudio.core.grid import tile


@pytest.fixture(scope="module")
def session():
    from ganstudio.ml.evaluation.digits import digit_session

    return digit_session()


def _grid(images: np.ndarray) -> np.ndarray:
    return tile(images)  # as the trainer makes the preview grid


def test_the_watch_stops_the_run_once_half_the_grid_are_digits(session):
    from ganstudio.ml.evaluation.data import load_split

    _, _, heldout = load_split("mnist", 0.1, 32, channels=None)
    noise = np.random.default_rng(0).integers(0, 256, (36, 32, 32, 1), dtype=np.uint8)
    control = Control()
    watch = DigitWatch(session, control, 36, started=time.perf_counter(), cap_s=600.0)
    watch(ev.PreviewReady(0, _grid(heldout.images[:36]), kind="real"))  # the reference grid is not scored
    watch(ev.PreviewReady(25, _grid(noise)))
    assert not control.stop_requested and watch.history[0][1:] == (25, 0.0)
    watch(ev.PreviewReady(50, _grid(heldout.images[:36])))
    result = watch.result()
    assert control.stop_requested and result.reached and result.history[-1][2] >= 0.5
    assert 0 < result.seconds < 600.0


def test_the_watch_gives_up_at_the_cap_and_reports_it(session):
    control = Control()
    watch = DigitWatch(session, control, 36, started=time.perf_counter() - 10, cap_s=5.0)  # 10 s ago
    watch(ev.StepLogged(3, {}, {}, 100.0, 1.0))
    assert control.stop_requested and watch.result().seconds == 5.0 and not watch.result().reached

"""The Sketch page's service with fake sessions (no TensorFlow): loading, renders with timings, latest wins, failures,
jobs, stale renders of a replaced model, clean shutdown; and the main window's place for the page."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from ganstudio.core.errors import DataError, ModelFileError
from ganstudio.core.sketch.palette import Palette
from ganstudio.workers.sketch_service import SketchService

PALETTE = Palette(("background", "petal"), ((90, 90, 90), (230, 140, 175)))
WAIT_MS = 5000


class Session:
    def __init__(self, kind="labels", palette=PALETTE, delay=0.0, value=0, **extra):
        self.input_kind, self.palette, self.native_size, self.title, self.notes = kind, palette, 16, "fake", ["n1"]
        self.delay, self.value, self.rendered = delay, value, []
        self.__dict__.update(extra)

    def render(self, sketch, seed=0, max_side=None):
        time.sleep(self.delay)
        self.max_sides = [*getattr(self, "max_sides", []), max_side]
        if sketch.max() > 200 and self.input_kind == "labels":
            raise DataError("Unknown classes in the sketch.", "Paint with the palette.")
        self.rendered.append(sketch.copy())
        return np.full(sketch.shape + (3,), self.value + seed, np.uint8)


@pytest.fixture
def make_service(qtbot):
    services = []

    def make(sessions: dict) -> SketchService:
        def loader(path):
            if path not in sessions:
                raise ModelFileError(f"{path} is not a model.", "Pick a model folder.")
            return sessions[path]

        service = SketchService(load_session=loader)
        services.append(service)
        return service

    yield make
    for service in services:
        service.shutdown()
    assert [t.name for t in threading.enumerate() if t.name.startswith("sketch-")] == []


def test_load_then_render_delivers_images_and_timings(qtbot, make_service):
    session = Session(delay=0.01)
    service = make_service({"m": session})
    assert service.render(np.zeros((16, 16), np.uint8)) == -1  # nothing loaded yet
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS) as loaded:
        service.load("m")
    info = loaded.args[0]
    assert (info.input_kind, info.native_size, info.notes, info.generic_palette) == ("labels", 16, ("n1",), False)
    assert len(session.rendered) == 1 and (session.rendered[0] == 0).all()  # warmed up on a blank canvas
    sketch = np.ones((20, 24), np.uint8)
    with qtbot.waitSignal(service.rendered, timeout=WAIT_MS) as rendered:
        service.render(sketch, seed=5)
    sketch[:] = 0  # the canvas keeps changing after the request: the service rendered a copy
    image, ms, draft = rendered.args
    assert image.shape == (20, 24, 3) and (image == 5).all() and ms >= 10 and not draft
    assert (session.rendered[-1] == 1).all()
    assert service.draft_helps((20, 24)) and not service.draft_helps((16, 16))  # the model's native size is 16
    with qtbot.waitSignal(service.rendered, timeout=WAIT_MS) as rendered:
        service.render(sketch, seed=5, draft=True)
    assert rendered.args[2] and session.max_sides[-2:] == [None, 16]  # a draft asks for the model's size


def test_the_latest_request_wins(qtbot, make_service):
    session = Session(delay=0.05)
    service = make_service({"m": session})
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS):
        service.load("m")
    for value in range(10):
        service.render(np.full((8, 8), value % 2, np.uint8), seed=value)
    qtbot.waitUntil(lambda: service.last_delivered_id == service.last_request_id, timeout=WAIT_MS)
    assert service.runner.dropped_count >= 5 and len(session.rendered) < 10


def test_failures_are_signals_not_crashes(qtbot, make_service):
    service = make_service({"m": Session()})
    with qtbot.waitSignal(service.load_failed, timeout=WAIT_MS) as failed:
        service.load("broken")
    assert "not a model" in failed.args[0]
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS):
        service.load("m")
    with qtbot.waitSignal(service.failed, timeout=WAIT_MS) as failed:
        service.render(np.full((8, 8), 255, np.uint8))
    assert "Unknown classes" in failed.args[0]
    with qtbot.waitSignal(service.rendered, timeout=WAIT_MS):
        service.render(np.zeros((8, 8), np.uint8))  # the runner keeps serving after a failure
    with qtbot.waitSignal(service.job_failed, timeout=WAIT_MS) as job:
        service.run_job("canvas-labels", lambda: 1 / 0)
    assert job.args[0] == "canvas-labels" and "ZeroDivisionError" in job.args[1]
    with qtbot.waitSignal(service.job_done, timeout=WAIT_MS) as job:
        service.run_job("sum", sum, [1, 2])
    assert job.args == ["sum", 3]


def test_a_replaced_models_late_render_is_dropped(qtbot, make_service):
    old, new = Session(delay=0.3, value=100), Session(value=7)
    service = make_service({"old": old, "new": new})
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS):
        service.load("old")
    shown = []
    service.rendered.connect(lambda image, _ms: shown.append(int(image[0, 0, 0])))
    service.render(np.zeros((8, 8), np.uint8))  # still rendering with the old model when the new one arrives
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS):
        service.load("new")
    service.render(np.zeros((8, 8), np.uint8))
    qtbot.waitUntil(lambda: service.runner.is_idle(), timeout=WAIT_MS)
    qtbot.wait(50)
    assert shown == [7]


def test_a_label_model_without_palette_gets_a_generic_one(qtbot, make_service):
    service = make_service({"m": Session(palette=None, num_classes=6), "e": Session("edges", None)})
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS) as loaded:
        service.load("m")
    info = loaded.args[0]
    assert len(info.palette) == 6 and info.generic_palette and "no palette" in info.notes[-1]
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS) as loaded:
        service.load("e")
    assert loaded.args[0].palette is None and (loaded.args[0].blank_sketch() == 255).all()


def test_main_window_lists_sketch_between_train_and_latent(qtbot, settings):
    from ganstudio.ui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert list(window.pages) == ["Train", "Sketch", "Latent", "Denoise", "Prompt"]
    window.close()
    assert not any(t.name.startswith("sketch-") for t in threading.enumerate())

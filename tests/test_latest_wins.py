"""LatestWinsRunner: stale requests are dropped, the newest is always rendered, results arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest

from ganstudio.core.errors import ModelFileError
from ganstudio.workers.latest_wins import LatestWinsRunner


class SlowRenderer:
    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.seen: list = []

    def __call__(self, request):
        self.seen.append(request)
        time.sleep(self.seconds)
        if request == "bad":
            raise ModelFileError("broken model", "re-export it")
        return f"image for {request}"


@pytest.fixture
def runner(qtbot):
    renderer = SlowRenderer()
    runner = LatestWinsRunner(renderer)
    runner.renderer = renderer
    yield runner
    runner.shutdown()
    assert not runner.is_running()


def test_stale_requests_are_dropped_and_the_last_one_wins(qtbot, runner):
    delivered = []
    runner.delivered.connect(lambda request_id, result: delivered.append((request_id, result)))
    ids = [runner.submit(i) for i in range(20)]
    assert runner.wait_idle(5)
    qtbot.waitUntil(lambda: bool(delivered) and delivered[-1][0] == ids[-1], timeout=3000)
    assert len(runner.renderer.seen) <= 3  # the first (already running), maybe one in between, and the last
    assert runner.renderer.seen[-1] == 19
    assert delivered[-1] == (ids[-1], "image for 19")
    assert runner.dropped_count >= 17 and ids == sorted(ids)


def test_results_arrive_on_the_gui_thread(qtbot, runner):
    threads = []
    runner.delivered.connect(lambda *_: threads.append(threading.current_thread()))
    with qtbot.waitSignal(runner.delivered, timeout=3000):
        runner.submit("x")
    assert threads == [threading.main_thread()]


def test_a_failed_render_is_reported_and_the_runner_keeps_serving(qtbot, runner):
    with qtbot.waitSignal(runner.failed, timeout=3000) as failed:
        bad_id = runner.submit("bad")
    assert failed.args[0] == bad_id and "broken model" in failed.args[1] and "re-export" in failed.args[1]
    with qtbot.waitSignal(runner.delivered, timeout=3000) as ok:
        runner.submit("good")
    assert ok.args[1] == "image for good"


def test_thread_starts_on_first_use_and_stops_on_shutdown(qtbot):
    runner = LatestWinsRunner(lambda request: request)
    assert not runner.is_running()
    with qtbot.waitSignal(runner.delivered, timeout=3000):
        runner.submit(1)
    assert runner.is_running()
    runner.shutdown()
    assert not runner.is_running()
    with pytest.raises(RuntimeError):
        runner.submit(2)


def test_a_render_in_progress_finishes_before_shutdown_returns(qtbot):
    started, release = threading.Event(), threading.Event()

    def render(request):
        started.set()
        release.wait(2)
        return request

    runner = LatestWinsRunner(render)
    runner.submit("slow")
    assert started.wait(2)
    runner.submit("pending")  # dropped by shutdown, never rendered
    threading.Timer(0.1, release.set).start()
    runner.shutdown()
    assert not runner.is_running() and runner.rendered_count == 1

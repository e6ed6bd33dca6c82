"""The pages' shared background loader: the newest load wins (an older, slower load's result or error is dropped),
results arrive on the GUI thread, after_load sees whether it is still wanted, and cancel() drops a load in flight."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from ganstudio.workers.background_loader import BackgroundLoader, ServiceThreads

WAIT_MS = 5000


@pytest.fixture
def gates():
    """path → Event the fake load waits on ("fast…" paths never wait); all opened at teardown."""
    events: dict[str, threading.Event] = {}
    yield events
    for event in events.values():
        event.set()


def make_loader(gates, threads: ServiceThreads, after_load=None) -> BackgroundLoader:
    def load(path, _still_wanted):
        if path in gates:
            gates[path].wait(WAIT_MS / 1000)
        if "broken" in path:
            raise ValueError(f"{path} is broken")
        return f"session {path}", f"info {path}"  # even when stale: dropping it is the loader's job

    return BackgroundLoader(load, threads, "test-load", after_load=after_load)


def test_the_newest_load_wins_and_arrives_on_the_gui_thread(qtbot, gates):
    threads = ServiceThreads()
    loader = make_loader(gates, threads)
    got, errors = [], []
    loader.loaded.connect(lambda session, info: got.append((session, info, QThread.currentThread())))
    loader.failed.connect(errors.append)
    gates["slow"], gates["slow-broken"] = threading.Event(), threading.Event()
    loader.load("slow")
    loader.load("slow-broken")
    with qtbot.waitSignal(loader.loaded, timeout=WAIT_MS):
        loader.load("fast")
    gates["slow"].set()
    gates["slow-broken"].set()
    threads.join(5.0)
    qtbot.wait(50)  # anything the stale loads queued would be delivered by now
    assert [(s, i) for s, i, _ in got] == [("session fast", "info fast")] and errors == []
    assert got[0][2] is QApplication.instance().thread()


def test_the_newest_loads_error_is_reported(qtbot, gates):
    loader = make_loader(gates, ServiceThreads())
    with qtbot.waitSignal(loader.failed, timeout=WAIT_MS) as failed:
        loader.load("broken")
    assert failed.args == ["ValueError: broken is broken"]


def test_after_load_runs_once_handed_over_and_knows_when_it_is_stale(qtbot, gates):
    threads, seen = ServiceThreads(), []
    loader = make_loader(gates, threads, after_load=lambda session, wanted: seen.append((session, wanted())))
    with qtbot.waitSignal(loader.loaded, timeout=WAIT_MS):
        loader.load("fast")
    threads.join(5.0)
    loader.cancel()
    assert seen == [("session fast", True)]


def test_cancel_drops_a_load_in_flight_and_join_ends_every_thread(qtbot, gates):
    threads = ServiceThreads()
    loader = make_loader(gates, threads)
    got = []
    loader.loaded.connect(lambda *args: got.append(args))
    gates["slow"] = threading.Event()
    loader.load("slow")
    loader.cancel()
    gates["slow"].set()
    threads.join(5.0)
    qtbot.wait(50)
    assert got == []
    assert not [t for t in threading.enumerate() if t.name == "test-load"]

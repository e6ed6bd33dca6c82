"""Test set-up: offscreen Qt, per-test settings and data folders, Qt warnings fail tests, tiny model fixtures."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
THREAD_GRACE_S = 10.0
FULL_COLLECTION_EVERY = 25  # tests between full garbage collections (see collect_garbage_between_tests)
_tests_since_full_collection = 0


@pytest.fixture(autouse=True)
def collect_garbage_between_tests():
    """The cyclic garbage collector runs only here, between tests, on the main thread, once Qt has destroyed the test's
    widgets itself; never on its own during a test.

    Left to its thresholds it fires wherever an allocation trips them: on a training thread (TensorFlow allocates
    plenty), where deleting a QObject races the GUI thread; inside a worker's tf.function tracing, where it can deadlock
    on TensorFlow's locks (seen once as a hung suite); or in the middle of Qt code on the main thread (building
    pyqtgraph's axes in LossPlot._add_axes was the usual spot). Worst, what it finds there is often a live widget tree:
    pytest-qt only closes and deleteLater()s a test's widgets, deleteLater waits for an event loop the next test may
    never run, and a page a test dropped is cyclic garbage at once. Shiboken (PySide6 6.11) clears such a cycle one
    wrapper at a time, so the C++ tree is torn down out of Qt's parent-first order: collecting a live TrainPage
    segfaults in ~QComboBox → QWidget::clearFocus, every time (tests/test_train_page.py crashed so in about 1 run in
    5, when the collection hit a test's dropped page). `destroy_deferred_widgets` lets Qt delete the trees first.

    A full collection walks every object TensorFlow, Keras and Qt keep alive; two of them a test made the Train,
    Prompt and Sketch page tests 4× slower (99 s against 25 s). With the collector off, everything a test allocated
    is still in the youngest generation at its end, so collecting the young generations finds the test's garbage; a
    full collection every FULL_COLLECTION_EVERY tests picks up older cycles released since."""
    global _tests_since_full_collection
    gc.disable()
    try:
        yield
    finally:
        destroy_deferred_widgets()
        _tests_since_full_collection += 1
        if _tests_since_full_collection >= FULL_COLLECTION_EVERY:
            _tests_since_full_collection = 0
            gc.collect()
        else:
            gc.collect(1)
        gc.enable()


def destroy_deferred_widgets() -> None:
    """Deliver pending deleteLater()s now (pytest-qt's teardown has closed and deleteLater()ed the test's widgets), so
    Qt destroys each tree in its own order, before the garbage collector could get to any of it."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """A test must end every thread it started (workers, loaders, players): a leftover one keeps running TensorFlow or
    Qt work into the next test. Threads get a few seconds to finish their teardown first."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREAD_GRACE_S
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in left:
        thread.join(max(0.0, deadline - time.monotonic()))
    still = [t.name for t in left if t.is_alive()]
    assert not still, f"threads left running after the test: {still}"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Each test gets its own user data folder (runs, saved points) and its own QSettings."""
    home = tmp_path / "home"
    monkeypatch.setenv("GANSTUDIO_HOME", str(home))
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QSettings

        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return home


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present on this machine")
    return SHARED_DATA


def _export_tiny_generator(folder: Path, **overrides) -> Path:
    """A 16×16 DCGAN generator exported untrained (steps=0): loads like a real model in about a second."""
    from ganstudio.ml.training.export import export_generator
    from ganstudio.ml.recipes import get

    recipe = get(overrides.pop("recipe", "dcgan"))
    config = recipe.config(image_size=16, ngf=8, ndf=8, z_dim=8, **overrides)
    return export_generator(recipe.build(config)["generator"], config, folder, steps=0)


@pytest.fixture(scope="session")
def tiny_generator_dir(tmp_path_factory) -> Path:
    return _export_tiny_generator(tmp_path_factory.mktemp("tiny-generator") / "model")


@pytest.fixture(scope="session")
def tiny_conditional_generator_dir(tmp_path_factory) -> Path:
    return _export_tiny_generator(tmp_path_factory.mktemp("tiny-cgenerator") / "model", recipe="cdcgan",
                                  num_classes=3, class_names=("daisy", "rose", "tulip"))


TINY_TRAINING = dict(image_size=16, ngf=8, ndf=8, z_dim=8, batch_size=8, xla=False, preview_count=4,
                     preview_every=1000, checkpoint_every=1000)


@pytest.fixture(scope="session")
def tiny_digits():
    """The first 64 built-in MNIST digits at 16×16, with labels (LoadedData; copy before mutating)."""
    import numpy as np

    from ganstudio.core.image_data import datasets
    from ganstudio.ml.training.prepare import resolve_dataset

    data = datasets.load(resolve_dataset("mnist"), 32)  # 28 → 32 is a pad (instant); 2×2 means then give 16×16
    data = datasets.subset(data, np.arange(len(data.images)) < 64)
    data.images = data.images.reshape(64, 16, 2, 16, 2, 1).mean(axis=(2, 4)).round().astype(np.uint8)
    return data


@pytest.fixture
def tiny_config():
    """Factory: a TrainConfig for a 16×16, ngf/ndf 8, z 8, batch 8 model on 1-channel data (no XLA, rare previews)."""
    from ganstudio.ml.recipes import get

    def make(recipe: str = "dcgan", **overrides):
        values = {**TINY_TRAINING, "channels": 1, **overrides}
        if get(recipe).conditional:
            values.setdefault("num_classes", 10)
        return get(recipe).config(**values)

    return make


# The translation tests' toy data and trained translators (tests/translation_fixtures.py), session-scoped so that
# test_translation_training.py and test_translation_session.py train them once between them.
from translation_fixtures import (edge_data, edges_session, label_data, labels_session,  # noqa: E402,F401
                                  pix2pix_runs, pix2pixhd_events, translation_photos, translation_work, unet_l1_events)


@pytest.fixture(scope="session")
def tiny_prompt_model(tmp_path_factory) -> Path:
    """An exported GAN-CLS model folder (16 px, 2 steps on toy captions, its untrained toy encoder bundled)."""
    from caption_fixtures import train_tiny_gancls

    return train_tiny_gancls(tmp_path_factory.mktemp("tiny-gancls"))

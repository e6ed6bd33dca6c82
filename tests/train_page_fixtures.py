"""A Train page shown on screen for tiny live MNIST runs: shared by the Train page's test files."""

from __future__ import annotations

from ganstudio.paths import resources_dir
from ganstudio.ui.pages.train_page import TrainPage

MNIST = str(resources_dir() / "data" / "mnist")
TINY = dict(image_size=16, ngf=8, ndf=8, batch_size=16, xla=False, preview_every=2, checkpoint_every=1000,
            preview_count=4)


def live_page(qtbot, settings, overrides: dict | None = None, size: tuple[int, int] = (1200, 760)):
    """Yields a shown TrainPage whose runs use TINY (plus `overrides`) and no TensorBoard; at the end its training
    thread must have stopped."""
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None)
    page.extra_overrides = {**TINY, **(overrides or {})}
    page.tensorboard = False
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    yield page
    assert page.shutdown(timeout=60), "the training thread did not end"

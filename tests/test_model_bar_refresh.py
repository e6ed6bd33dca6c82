"""The model bar follows the runs folder while the app is open (issue 13 item 8) and says what loads instead of "No …
model found" while the first model loads (item 9)."""

from __future__ import annotations

import shutil

from ganstudio.paths import runs_dir
from ganstudio.ui.widgets.latent_model_bar import LatentModelBar
from ganstudio.ui.widgets.sketch_model_bar import SketchModelBar

WAIT_MS = 5000


def make_bar(qtbot, settings, cls=LatentModelBar):
    bar = cls(settings)
    qtbot.addWidget(bar)
    bar.list_models()
    bar.show()
    qtbot.waitExposed(bar)
    return bar


def listed(bar) -> list[str]:
    return bar.paths()


def test_a_run_that_finishes_while_the_page_is_open_is_listed(qtbot, settings, tiny_generator_dir):
    (runs_dir() / "training-now").mkdir(parents=True)  # a run in progress: no model/ yet
    bar = make_bar(qtbot, settings)
    shipped = listed(bar)
    bar.select(shipped[0])  # what the page has loaded stays chosen through the refresh
    finished = runs_dir() / "training-now" / "model"
    shutil.copytree(tiny_generator_dir, finished)  # the run exports its model
    qtbot.waitUntil(lambda: str(finished) in listed(bar), timeout=WAIT_MS)
    later = runs_dir() / "started-later" / "model"  # a run folder that did not exist when the watching began
    shutil.copytree(tiny_generator_dir, later)
    qtbot.waitUntil(lambda: str(later) in listed(bar), timeout=WAIT_MS)
    assert bar.combo.currentData() == shipped[0]
    assert "training-now" in bar.combo.itemText(bar.combo.findData(str(finished)))
    shutil.rmtree(later.parent)  # a deleted run leaves the list
    qtbot.waitUntil(lambda: str(later) not in listed(bar), timeout=WAIT_MS)


def test_the_picker_says_what_loads_until_it_has_loaded_or_failed(qtbot, settings, monkeypatch):
    monkeypatch.setattr("ganstudio.ui.widgets.model_bar.installed_models", lambda kind=None: [])
    bar = make_bar(qtbot, settings, SketchModelBar)
    assert bar.combo.currentIndex() == -1 and bar.combo.placeholderText().startswith("No sketch model found")
    bar.show_loading("/models/sketch-labels")
    assert bar.combo.currentIndex() == -1 and bar.combo.placeholderText() == "Loading sketch-labels…"
    bar.show_load_failed("broken")
    assert bar.combo.placeholderText().startswith("No sketch model found")

"""Issue 13, item 4, in the window: a model page (the ModelPage base the Latent, Sketch, Denoise and Prompt pages
share) shows the loader's own message for a mismatched model or a folder that holds none, on its model bar."""

from __future__ import annotations

import json
import shutil
import threading

import pytest

from ganstudio.ui.pages.latent_page import LatentPage

WAIT_MS = 30000  # the first load imports TensorFlow


@pytest.fixture
def page(qtbot, settings):
    page = LatentPage(settings)
    qtbot.addWidget(page)
    yield page
    page.shutdown()
    assert [t.name for t in threading.enumerate() if t.name.startswith("latent-")] == []


def failed_load(qtbot, page, path) -> str:
    with qtbot.waitSignal(page.service.load_failed, timeout=WAIT_MS):
        page.load_model(str(path))
    assert page.info is None and not page.model_bar.error.isHidden()
    return page.model_bar.error.text()


def test_a_mismatched_generator_is_named_on_the_model_bar(qtbot, page, tiny_generator_dir, tmp_path):
    model_dir = shutil.copytree(tiny_generator_dir, tmp_path / "model")
    manifest = json.loads((model_dir / "manifest.json").read_text())
    manifest["config"]["z_dim"] = 100
    (model_dir / "manifest.json").write_text(json.dumps(manifest))
    assert "generator.keras takes (None, 8) but the manifest says z_dim 100." in failed_load(qtbot, page, model_dir)


def test_a_run_folder_without_a_model_is_named_on_the_model_bar(qtbot, page, tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "run.json").write_text("{}")
    text = failed_load(qtbot, page, tmp_path / "run")
    assert "run has no manifest.json: not a ganstudio model folder" in text and "ganstudio export" in text

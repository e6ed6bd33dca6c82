"""The Prompt page on the tiny GAN-CLS model: typing updates the grid with the same z, re-roll changes it, unknown
words and odd prompts are named, the blend slider's ends are the two prompts, arithmetic matches the session, the GIF,
grid, image and history are saved, the vocabulary inserts words, nearest photos show, settings are remembered, and a
missing model says how to get one."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from ganstudio.ui.pages.prompt_page import PromptPage
from ganstudio.workers.prompt_service import GET_A_MODEL

WAIT_MS = 60000


@pytest.fixture(scope="module")
def session(tiny_prompt_model):
    from ganstudio.ml.inference.prompt import PromptSession

    return PromptSession.load(tiny_prompt_model)


@pytest.fixture
def make_page(qtbot, settings):
    pages = []

    def make(**kwargs):
        page = PromptPage(kwargs.pop("settings", settings))
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()
    left = [t.name for t in threading.enumerate() if t.name.startswith("prompt-") and t.is_alive()]
    assert left == [], f"threads left running: {left}"


def settle(qtbot, page):
    """Until the newest grid and arithmetic requests are on screen."""
    qtbot.waitUntil(lambda: page.last_request_id >= 0 and page.last_shown_id == page.last_request_id
                    and page.arithmetic_shown_id == page.last_arithmetic_id, timeout=WAIT_MS)


@pytest.fixture
def page(qtbot, make_page, tiny_prompt_model):
    page = make_page()
    with qtbot.waitSignal(page.service.model_loaded, timeout=WAIT_MS):
        page.load_model(str(tiny_prompt_model))
    settle(qtbot, page)
    return page


def expected(session, text, seed, count):
    return session.prompt(text, session.sample_z(count, seed))


def test_the_model_loads_and_the_default_grid_shows_eight_images(page, session, settings, tiny_prompt_model):
    assert page.info.image_size == 16 and "16×16" in page.model_bar.info.text()
    assert page.grid.images.shape == (8, 16, 16, 3) and page.count_value() == 8
    np.testing.assert_array_equal(page.grid.images, expected(session, page.prompt_box.text(), page.seed.value(), 8))
    assert settings.value("prompt/model") == str(tiny_prompt_model)
    assert page.neighbours.note.text().startswith("Captions of the built-in flowers are generated")


def test_typing_updates_the_grid_and_keeps_its_z(qtbot, page, session):
    seed = page.seed.value()
    page.prompt_box.clear()
    qtbot.keyClicks(page.prompt_box, "a white daisy")
    settle(qtbot, page)
    assert page.result.request.text == "a white daisy" and page.seed.value() == seed
    np.testing.assert_array_equal(page.result.embedding, session.embed(["a white daisy"]))
    np.testing.assert_array_equal(page.grid.images, expected(session, "a white daisy", seed, 8))
    page.count.setCurrentIndex(page.count.findData(16))
    settle(qtbot, page)
    assert page.grid.images.shape[0] == 16
    np.testing.assert_array_equal(page.grid.images[:8], expected(session, "a white daisy", seed, 8))  # same z, more


def test_reroll_and_the_seed_box_change_z(qtbot, page, session):
    before, seed = page.grid.images.copy(), page.seed.value()
    page.reroll_button.click()
    settle(qtbot, page)
    assert page.seed.value() != seed and not np.array_equal(page.grid.images, before)
    page.seed.setValue(seed)
    settle(qtbot, page)
    np.testing.assert_array_equal(page.grid.images, before)


@pytest.mark.parametrize("text, said", [("a red peony", "'peony' is not in this model's vocabulary; read as: a red ___"),
                                        ("", "The prompt is empty"),
                                        ("x" * 5000, "Only the first 500 characters of 5,000 were read."),
                                        ("🌹", "no words this model reads")])
def test_unknown_words_and_bad_input_are_named_and_still_render(qtbot, page, text, said):
    page.prompt_box.setText(text)
    settle(qtbot, page)
    assert page.result.request.text == text and page.grid.images.shape == (8, 16, 16, 3)
    assert said in page.messages.text()
    page.prompt_box.setText("a red rose")
    settle(qtbot, page)
    assert page.messages.text() == ""


def test_the_blend_slider_ends_are_the_two_prompts(qtbot, page, session):
    page.prompt_box.setText("a red rose")
    assert not page.slider.isEnabled() and not page.gif_button.isEnabled()
    page.to_box.setText("a white daisy")
    assert page.slider.isEnabled() and page.gif_button.isEnabled()
    a, b = session.embed(["a red rose"]), session.embed(["a white daisy"])
    for value, embedding in ((0, a), (100, b), (50, 0.5 * a + 0.5 * b)):
        page.slider.setValue(value)
        settle(qtbot, page)
        np.testing.assert_allclose(page.result.embedding, embedding, atol=1e-6)
        np.testing.assert_array_equal(page.grid.images, session.generate(embedding, session.sample_z(8, page.seed.value())))
    page.slider.setValue(100)
    settle(qtbot, page)
    np.testing.assert_array_equal(page.grid.images, expected(session, "a white daisy", page.seed.value(), 8))
    assert page.weight_label.text() == "1.00"


def test_arithmetic_shows_the_equation_and_the_sessions_result(qtbot, page, session):
    from ganstudio.ml.inference.prompt import parse_arithmetic

    page.arithmetic_box.setText("red rose - red + yellow")
    settle(qtbot, page)
    assert page.equation.text().startswith("“red rose” − “red” + “yellow” =")
    embedding = session.arithmetic(parse_arithmetic("red rose - red + yellow"))
    np.testing.assert_array_equal(page.arithmetic_grid.images,
                                  session.generate(embedding, session.sample_z(8, page.seed.value())))
    page.arithmetic_box.setText("  -  ")
    settle(qtbot, page)
    assert "no prompt" in page.equation.text() and page.arithmetic_grid.images is None
    page.arithmetic_box.setText("")
    assert page.equation.text() == "" and "red rose - red + yellow" in page.arithmetic_grid.placeholder()


def test_gif_grid_image_and_history_are_saved(qtbot, page, tmp_path):
    page.to_box.setText("a white daisy")
    with qtbot.waitSignal(page.service.exported, timeout=WAIT_MS):
        page.export_gif(str(tmp_path / "sweep.gif"))
    with Image.open(tmp_path / "sweep.gif") as gif:
        assert gif.format == "GIF"
    assert "Saved the interpolation" in page.status.text()
    assert page.save_grid(str(tmp_path / "grid.png"))
    assert Image.open(tmp_path / "grid.png").size == (4 * 16 + 3 * 2, 2 * 16 + 2)  # 4×2 tiles, 2 px apart
    assert not page.save_image(str(tmp_path / "none.png"))  # nothing selected yet
    assert page.save_image(str(tmp_path / "one.png"), index=3)
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "one.png")), page.grid.images[3])
    page.record_history()
    assert page.save_history(str(tmp_path / "history.json"))
    saved = json.loads((tmp_path / "history.json").read_text())["prompts"]
    assert saved[0]["text"] == page.prompt_box.text() and saved[0]["to"] == "a white daisy"
    assert not page.save_grid(str(tmp_path / "grid.png" / "x.png"))  # a file as folder: said, not raised
    assert page.status.styleSheet() and page.status.text()


def test_history_restores_a_prompt_its_seed_and_count(qtbot, page):
    page.prompt_box.setText("a red rose")
    page.seed.setValue(11)
    page.record_history()
    page.prompt_box.setText("a blue daisy")
    page.seed.setValue(12)
    page.count.setCurrentIndex(page.count.findData(4))
    page.record_history()
    assert [e["text"] for e in page.history.entries()][:2] == ["a blue daisy", "a red rose"]
    page.history.entry_chosen.emit(page.history.entries()[1])
    settle(qtbot, page)
    assert page.prompt_box.text() == "a red rose" and page.seed.value() == 11 and page.count_value() == 8
    assert page.result.request.text == "a red rose" and page.grid.images.shape[0] == 8


def test_the_vocabulary_inserts_a_word_into_the_prompt(qtbot, page):
    dialog = page.show_vocabulary()
    assert {"rose", "daisy", "red"} <= set(dialog.buttons)
    page.prompt_box.setText("a red")
    page.prompt_box.setCursorPosition(5)
    dialog.buttons["rose"].click()
    assert page.prompt_box.text() == "a red rose"
    settle(qtbot, page)
    assert page.result.request.text == "a red rose"
    dialog.close()


def test_clicking_an_image_shows_its_nearest_training_photos(qtbot, page):
    page.show()
    page.resize(1000, 700)
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.service.neighbours_ready, timeout=WAIT_MS):
        qtbot.mouseClick(page.grid, Qt.MouseButton.LeftButton, pos=page.grid.cell_rect(2).center())
    assert page.grid.selected == 2 and page.save_image_button.isEnabled()
    qtbot.waitUntil(lambda: len(page.neighbours.shown) == 5, timeout=WAIT_MS)
    assert all(name.endswith(".png") for name in page.neighbours.shown)
    assert "image 3" in page.neighbours.message.text()


def test_the_prompt_seed_and_count_are_remembered(qtbot, page, make_page, settings):
    page.prompt_box.setText("a yellow rose")
    page.seed.setValue(42)
    page.count.setCurrentIndex(page.count.findData(16))
    page.shutdown()
    again = make_page(settings=settings)
    assert again.prompt_box.text() == "a yellow rose" and again.seed.value() == 42 and again.count_value() == 16


def test_a_broken_model_folder_is_named_on_the_model_bar(qtbot, make_page, tmp_path):
    page = make_page()
    (tmp_path / "broken").mkdir()
    with qtbot.waitSignal(page.service.load_failed, timeout=WAIT_MS):
        page.load_model(str(tmp_path / "broken"))
    assert "broken has no manifest.json: not a ganstudio model folder" in page.model_bar.error.text()
    assert not page.model_bar.error.isHidden()
    assert page.grid.placeholder() == GET_A_MODEL and page.grid.images is None


def test_with_no_model_installed_the_page_says_how_to_get_one(monkeypatch, make_page):
    monkeypatch.setattr("ganstudio.ui.widgets.model_bar.installed_models", lambda kind=None: [])
    page = make_page()
    assert page.model_bar.paths() == []
    assert "ganstudio train gan-cls --data flowers" in page.grid.placeholder()
    assert "gan-cls" in page.model_bar.combo.placeholderText()


def test_unknown_words_of_the_second_prompt_say_so(qtbot, page):
    page.prompt_box.setText("a red rose")
    page.to_box.setText("a white peony")
    settle(qtbot, page)
    assert page.messages.text() == "In “to”: 'peony' is not in this model's vocabulary; read as: a white ___"

"""The Prompt page's service on the tiny GAN-CLS model: loads off the GUI thread, renders prompts, blends and
arithmetic exactly as the session does, names unknown words, finds nearest training photos, exports a GIF, reports a
missing model or data set, and leaves no thread running."""

from __future__ import annotations

import json
import shutil
import threading

import numpy as np
import pytest
from PIL import Image, ImageSequence

from ganstudio.workers.prompt_service import (ARITHMETIC, GIF_FRAMES, PromptRequest, PromptService,
                                              reading_messages)

WAIT_MS = 60000


@pytest.fixture(scope="module")
def session(tiny_prompt_model):
    from ganstudio.ml.inference.prompt import PromptSession

    return PromptSession.load(tiny_prompt_model)


@pytest.fixture
def service(qtbot, tiny_prompt_model):
    service = PromptService()
    with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS) as loaded:
        service.load(str(tiny_prompt_model))
    service.info = loaded.args[0]
    yield service
    service.shutdown()
    left = [t.name for t in threading.enumerate() if t.name.startswith("prompt-")]
    assert left == [], f"threads left running: {left}"


def render(qtbot, service, request):
    with qtbot.waitSignal(service.rendered, timeout=WAIT_MS,
                          check_params_cb=lambda _id, result: result.request == request) as blocker:
        service.render(request)
    return blocker.args[1]


def test_reading_messages_name_unknown_words_and_how_the_prompt_was_read():
    assert reading_messages("a red peony", ["peony"], []) == [
        "'peony' is not in this model's vocabulary; read as: a red ___"]
    two = reading_messages("A Blue peony, tulip!", ["peony", "tulip"], ["a note"])
    assert two == ["a note", "'peony', 'tulip' are not in this model's vocabulary; read as: a blue ___ ___"]
    assert "no words this model reads" in reading_messages("🌹🌹", [], [])[0]
    assert reading_messages("a red rose", [], []) == []


def test_loading_describes_the_model_and_its_vocabulary(service, tiny_prompt_model):
    info = service.info
    assert info.path == str(tiny_prompt_model) and info.image_size == 16 and info.z_dim == 4
    words = {w for phrases in info.vocabulary.values() for p in phrases for w in p.split()}
    assert {"red", "rose", "daisy"} <= words
    assert info.dataset_path and (tiny_prompt_model.parent.parent / "captions").samefile(info.dataset_path)


def test_a_prompt_renders_what_the_session_makes_for_that_seed(qtbot, service, session):
    result = render(qtbot, service, PromptRequest("a red rose", seed=3, count=8))
    assert result.images.shape == (8, 16, 16, 3) and result.messages == ()
    np.testing.assert_array_equal(result.images, session.prompt("a red rose", session.sample_z(8, 3)))
    other = render(qtbot, service, PromptRequest("a red rose", seed=4, count=8))
    assert not np.array_equal(other.images, result.images)


def test_unknown_words_and_odd_prompts_still_render_and_say_what_was_read(qtbot, service):
    result = render(qtbot, service, PromptRequest("a red peony", count=4))
    assert result.messages == ("'peony' is not in this model's vocabulary; read as: a red ___",)
    for text, expected in (("", "empty"), ("x" * 5000, "first 500 characters"), ("🌹 玫瑰", "'玫瑰'")):
        result = render(qtbot, service, PromptRequest(text, count=4))
        assert result.images.shape == (4, 16, 16, 3)
        assert any(expected in m for m in result.messages), result.messages


def test_the_blend_ends_are_the_two_prompts_and_arithmetic_matches_the_session(qtbot, service, session):
    z = session.sample_z(4, 7)
    a, b = session.embed(["a red rose"]), session.embed(["a white daisy"])
    assert not np.allclose(a, b)
    for weight in (0.0, 0.25, 1.0):
        result = render(qtbot, service, PromptRequest("a red rose", 7, 4, to_text="a white daisy", weight=weight))
        np.testing.assert_allclose(result.embedding, (1 - weight) * a + weight * b, atol=1e-6)
        np.testing.assert_array_equal(result.images, session.generate(result.embedding, z))
    np.testing.assert_array_equal(result.images, session.prompt("a white daisy", z))
    from ganstudio.ml.inference.prompt import parse_arithmetic

    result = render(qtbot, service, PromptRequest("red rose - red + yellow", 7, 4, ARITHMETIC))
    assert result.terms == ((1.0, "red rose"), (-1.0, "red"), (1.0, "yellow"))
    embedding = session.arithmetic(parse_arithmetic("red rose - red + yellow"))
    np.testing.assert_allclose(result.embedding, embedding, atol=1e-6)
    np.testing.assert_array_equal(result.images, session.generate(embedding, z))


def test_a_bad_expression_fails_with_a_message_and_the_service_keeps_serving(qtbot, service):
    with qtbot.waitSignal(service.render_failed, timeout=WAIT_MS) as failed:
        service.render(PromptRequest("  -  ", mode=ARITHMETIC))
    assert failed.args[0] == ARITHMETIC and "no prompt" in failed.args[2]
    assert render(qtbot, service, PromptRequest("a rose", count=4)).images.shape == (4, 16, 16, 3)


def test_the_latest_request_wins(qtbot, service):
    seen = []
    service.rendered.connect(lambda _id, result: seen.append(result.request.text))
    texts = [f"a red rose {'x' * i}" for i in range(30)]
    for text in texts:
        service.render(PromptRequest(text, count=16))
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == texts[-1], timeout=WAIT_MS)
    assert len(seen) < len(texts)  # stale requests were dropped, not queued
    # The worker emits before it marks itself free, so idleness follows the last result by a moment.
    qtbot.waitUntil(service.is_idle, timeout=WAIT_MS)


def test_nearest_training_photos_come_with_their_captions(qtbot, service, session):
    image = session.prompt("a red rose", session.sample_z(1, 0))[0]
    with qtbot.waitSignal(service.neighbours_ready, timeout=WAIT_MS) as ready:
        service.find_neighbours(2, image, k=3)
    found = ready.args[0]
    assert found.index == 2 and found.photos.shape == (3, 16, 16, 3) and len(found.captions) == 3
    assert all(name.endswith(".png") and captions for name, captions in zip(found.names, found.captions))
    assert list(found.similarity) == sorted(found.similarity, reverse=True)
    # a photo of the data set is its own nearest neighbour
    with qtbot.waitSignal(service.neighbours_ready, timeout=WAIT_MS) as again:
        service.find_neighbours(0, found.photos[1], k=1)
    assert again.args[0].names == (found.names[1],)


def test_a_missing_data_set_is_said_when_looking_for_neighbours(qtbot, tmp_path, tiny_prompt_model):
    copy = tmp_path / "model"
    shutil.copytree(tiny_prompt_model, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["config"]["dataset_path"] = str(tmp_path / "gone")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    service = PromptService()
    try:
        with qtbot.waitSignal(service.model_loaded, timeout=WAIT_MS):
            service.load(str(copy))
        with qtbot.waitSignal(service.neighbours_failed, timeout=WAIT_MS) as failed:
            service.find_neighbours(0, np.zeros((16, 16, 3), np.uint8))
        assert "not on this machine" in failed.args[0]
    finally:
        service.shutdown()


def test_the_interpolation_exports_as_a_multi_frame_gif(qtbot, service, tmp_path):
    path = tmp_path / "sweep.gif"
    with qtbot.waitSignal(service.exported, timeout=WAIT_MS):
        service.export_gif(str(path), PromptRequest("a red rose", 1, 4, to_text="a white daisy"))
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.size == (4 * (4 * 16 + 3 * 2), 4 * 16)  # 4 in a row, scaled 4×
        # the tiny model's frames look alike and Pillow merges equal neighbours, adding up their durations
        assert sum(gif.info["duration"] for _ in ImageSequence.Iterator(gif)) == GIF_FRAMES * 120
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.gif"]  # written atomically: no temporary left
    with qtbot.waitSignal(service.export_failed, timeout=WAIT_MS) as failed:
        service.export_gif(str(path / "x.gif"), PromptRequest("a", 1, 4, to_text="b"))  # a file as folder
    assert failed.args[0]


def test_a_missing_model_is_a_clear_load_failure(qtbot, tmp_path):
    service = PromptService()
    try:
        with qtbot.waitSignal(service.load_failed, timeout=WAIT_MS) as failed:
            service.load(str(tmp_path / "no-model-here"))
        assert "No text-to-image model" in failed.args[0] and "gan-cls" in failed.args[0]
        assert service.render(PromptRequest("a rose")) == -1
    finally:
        service.shutdown()


class SweepSession:
    """Stands in for a trained model whose frames all differ: frame i of the sweep is grey level 10·i."""

    def sample_z(self, n, seed):
        return np.zeros((n, 4), np.float32)

    def interpolate(self, a, b, frames, z):
        return np.stack([np.full((len(z), 16, 16, 3), 10 * i, np.uint8) for i in range(frames)])


def test_every_frame_of_the_sweep_is_in_the_gif(tmp_path):
    service = PromptService()
    written = []
    service.exported.connect(written.append)
    service._export(SweepSession(), str(tmp_path / "sweep.gif"), PromptRequest("a", 0, 8, to_text="b"),
                    GIF_FRAMES, 120, 256)
    assert written == [str(tmp_path / "sweep.gif")]
    with Image.open(tmp_path / "sweep.gif") as gif:
        assert gif.n_frames == GIF_FRAMES
        gif.seek(GIF_FRAMES - 1)
        assert gif.convert("RGB").getpixel((0, 0)) == (150, 150, 150)

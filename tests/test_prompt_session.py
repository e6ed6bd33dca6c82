"""Text → image inference: the exported GAN-CLS model carries its text encoder, prompts become images for fixed z,
interpolation runs from one prompt's images to the other's, and prompt arithmetic parses and normalises."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ganstudio.core.errors import ModelFileError, StudioError
from ganstudio.ml.inference.prompt import MAX_PROMPT_CHARS, PromptSession, clean_prompt, parse_arithmetic


@pytest.fixture(scope="module")
def session(tiny_prompt_model):
    return PromptSession.load(tiny_prompt_model)


def test_the_exported_model_bundles_its_text_encoder(tiny_prompt_model, session):
    assert (tiny_prompt_model / "text_encoder" / "manifest.json").is_file()
    assert session.manifest.kind == "text-generator" and session.encoder.dim == session.config.text_dim == 32


def test_a_prompt_makes_one_image_per_z_and_the_same_z_gives_the_same_images(session):
    z = session.sample_z(3, seed=1)
    images = session.prompt("a red rose", z)
    assert images.shape == (3, 16, 16, 3) and images.dtype == np.uint8
    np.testing.assert_array_equal(images, session.prompt("a red rose", z))
    assert not np.array_equal(images, session.prompt("a red rose", session.sample_z(3, seed=2)))


def test_each_image_draws_its_conditioning_noise_as_training_did_not_the_centre(session):
    """ε = 0 (the conditioning Gaussian's centre) is where no training draw lies: G paints a blurred average there,
    the same for every z. The noise of an image is z then ε ~ N(0, I), kept together like z."""
    c = session.config
    noise = session.sample_z(256, seed=4)
    assert session.z_dim == noise.shape[1] == c.z_dim + c.ca_dim
    eps = noise[:, c.z_dim:]
    assert abs(float(eps.std()) - 1.0) < 0.05 and abs(float(eps.mean())) < 0.05
    same_z_other_eps = noise[:2].copy()
    same_z_other_eps[:, c.z_dim:] = session.sample_z(2, seed=5)[:, c.z_dim:]
    assert not np.array_equal(session.prompt("a red rose", noise[:2]), session.prompt("a red rose", same_z_other_eps))


def test_interpolation_starts_and_ends_at_the_two_prompts(session):
    z = session.sample_z(2, seed=0)
    frames = session.interpolate("a red rose", "a white daisy", 4, z)
    assert frames.shape == (4, 2, 16, 16, 3)
    np.testing.assert_array_equal(frames[0], session.prompt("a red rose", z))
    np.testing.assert_array_equal(frames[-1], session.prompt("a white daisy", z))
    with pytest.raises(StudioError, match="at least 2 frames"):
        session.interpolate("a", "b", 1, z)


def test_arithmetic_parses_signs_and_gives_a_unit_vector(session):
    terms = parse_arithmetic("red rose - red + yellow")
    assert terms == [(1.0, "red rose"), (-1.0, "red"), (1.0, "yellow")]
    assert parse_arithmetic("a red-orange rose") == [(1.0, "a red-orange rose")]  # a hyphen inside a word is text
    result = session.arithmetic(terms)
    assert result.shape == (1, 32) and np.linalg.norm(result) == pytest.approx(1.0, abs=1e-5)
    expected = session.embed(["red rose"]) - session.embed(["red"]) + session.embed(["yellow"])
    np.testing.assert_allclose(result, expected / np.linalg.norm(expected), atol=1e-5)
    with pytest.raises(StudioError):
        parse_arithmetic("  -  ")


@pytest.mark.parametrize("text", ["", "   ", "x" * 5000, "🌹 玫瑰", "peony peony"])
def test_odd_prompts_still_make_images_and_say_what_was_read(session, text):
    read, notes = clean_prompt(text)
    assert len(read) <= MAX_PROMPT_CHARS
    assert bool(notes) == (not text.strip() or len(text) > MAX_PROMPT_CHARS)
    assert session.prompt(text, session.sample_z(1, 0)).shape == (1, 16, 16, 3)


def test_unknown_words_are_named_and_the_vocabulary_lists_what_training_read(session):
    assert session.unknown_words("a red peony") == ["peony"]
    words = {w for phrases in session.vocabulary().values() for p in phrases for w in p.split()}
    assert {"red", "rose", "daisy"} <= words and "peony" not in words


def test_a_missing_model_or_encoder_is_a_clear_error(tmp_path, tiny_prompt_model):
    import shutil

    with pytest.raises(ModelFileError, match="No text-to-image model"):
        PromptSession.load("no-such-model")
    copy = tmp_path / "model"
    shutil.copytree(tiny_prompt_model, copy)
    shutil.rmtree(copy / "text_encoder")  # an older export: the encoder named in its config (the toy folder) is used
    assert PromptSession.load(copy).encoder.dim == 32
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["config"]["text_encoder"] = str(tmp_path / "gone")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match="No text encoder called"):
        PromptSession.load(copy)

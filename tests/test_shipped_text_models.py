"""The text models the app ships: the flower text encoder reads what a prompt says, and the GAN-CLS generator
loads from the repository alone and draws what the text changes (z held fixed)."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def prompt_session():
    from ganstudio.ml.inference.prompt import PromptSession

    return PromptSession.load()  # the shipped model, found by name like the Prompt page finds it


def test_shipped_encoder_embeds_prompts_to_different_unit_vectors():
    from ganstudio.ml.inference.text_encoder import TextEncoderSession

    session = TextEncoderSession.load()
    assert session.manifest.kind == "text-encoder" and session.dim == 128
    rose, sunflower = session.encode(["a red rose", "a yellow sunflower"])
    np.testing.assert_allclose([np.linalg.norm(rose), np.linalg.norm(sunflower)], 1.0, atol=1e-4)
    assert float(rose @ sunflower) < 0.9
    assert session.unknown_words("a red peony") == ["peony"]


def test_shipped_text_to_image_model_draws_64px_flowers_that_change_with_the_text(prompt_session):
    z = prompt_session.sample_z(4, seed=0)
    roses, sunflowers = prompt_session.prompt("a red rose", z), prompt_session.prompt("a yellow sunflower", z)
    assert roses.shape == (4, 64, 64, 3) and roses.dtype == np.uint8
    assert np.abs(roses.astype(int) - sunflowers.astype(int)).mean() > 5  # grey levels: the text reaches the image
    np.testing.assert_array_equal(prompt_session.prompt("a red rose", z), roses)  # same text and z → same flowers

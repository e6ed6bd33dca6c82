"""GAN-CLS's two stronger text signals beside the book's: the projection discriminator and AttnGAN's sentence
matching loss through the frozen text encoder's image side."""

from __future__ import annotations

import numpy as np
import pytest


class _EchoEncoder:
    """An image encoder stand-in that 'sees' in each image the unit vector stored in its first pixels."""
    input_shape = (None, 4, 4, 3)

    def __call__(self, pixels, training=False):  # noqa: ARG002
        from ganstudio.ml.runtime import tf

        t = tf()
        flat = t.reshape(pixels, (t.shape(pixels)[0], -1))[:, :8] / 127.5 - 1.0
        return t.math.l2_normalize(flat, axis=-1)


def _unit(rows):
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_matching_loss_is_low_when_each_image_shows_its_own_caption_and_high_when_shuffled():
    from ganstudio.ml.recipes.gancls import matching_loss

    captions = _unit(np.eye(4, 8) + 0.05)
    images = np.zeros((4, 4, 4, 3), np.float32)
    images.reshape(4, -1)[:, :8] = captions  # tanh range, read back by the stand-in as the caption's vector
    matched = float(matching_loss(_EchoEncoder(), images, captions))
    shuffled = float(matching_loss(_EchoEncoder(), images, captions[[1, 2, 3, 0]]))
    assert matched < 0.1 < 2 * np.log(4) < shuffled


def test_the_projection_discriminator_scores_the_same_image_differently_under_different_text():
    from ganstudio.ml.networks.gancls import discriminator

    D = discriminator(8, image_size=16, ndf=4, kernel=3, condition="projection")
    image = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 3)).astype(np.float32)
    text = _unit(np.random.default_rng(1).standard_normal((2, 8)))
    right, other = D([image, text], training=False), D([image, text[::-1]], training=False)
    assert right.shape == (2, 1) and not np.allclose(right, other)


@pytest.mark.slow
def test_a_run_with_both_signals_trains_logs_the_matching_term_and_exports(tmp_path):
    from caption_fixtures import train_tiny_gancls

    from ganstudio.ml.modelfile import load_model

    model_dir, trainer = train_tiny_gancls(tmp_path, steps=2, with_trainer=True, d_condition="projection",
                                           match_weight=1.0)
    _, manifest = load_model(model_dir)
    assert manifest.config["d_condition"] == "projection" and manifest.config["match_weight"] == 1.0
    match = trainer.history.series["match"]
    assert len(match) == 2 and all(np.isfinite(match))


def test_the_mode_seeking_term_is_large_for_identical_images_and_small_for_images_as_far_apart_as_their_z():
    from ganstudio.ml.recipes.gancls import mode_seeking_loss

    rng = np.random.default_rng(0)
    z_a, z_b = rng.standard_normal((2, 4, 8)).astype(np.float32)
    image = rng.uniform(-1, 1, (4, 6, 6, 3)).astype(np.float32)
    collapsed = float(mode_seeking_loss(image, image, z_a, z_b))  # z ignored: the term the generator must shed
    apart = float(mode_seeking_loss(image, -image, z_a, z_b))
    assert apart < 2.0 < 1e4 < collapsed


@pytest.mark.slow
def test_a_run_with_the_mode_seeking_term_logs_it(tmp_path):
    from caption_fixtures import train_tiny_gancls

    model_dir, trainer = train_tiny_gancls(tmp_path, steps=2, with_trainer=True, ms_weight=1.0)
    seeking = trainer.history.series["mode_seeking"]
    assert len(seeking) == 2 and all(np.isfinite(seeking))


@pytest.mark.slow
def test_the_preview_draws_each_rows_conditioning_noise_as_training_does_and_old_runs_still_preview(tmp_path):
    from caption_fixtures import train_tiny_gancls

    from ganstudio.ml.recipes.gancls import PREVIEW_ROWS, make_preview

    _, trainer = train_tiny_gancls(tmp_path, steps=1, with_trainer=True)
    fixed, columns = trainer.fixed, len(trainer.fixed["prompts"])
    eps = fixed["eps"].reshape(PREVIEW_ROWS, columns, -1)
    assert np.abs(eps).min() > 0 and (eps == eps[:, :1]).all() and not (eps[0] == eps[1]).all()  # one ε per row
    preview = make_preview(trainer.models, trainer.config)
    old_run = {key: value for key, value in fixed.items() if key != "eps"}  # fixed.npz from before ε was kept
    np.testing.assert_array_equal(preview(old_run)["samples"], preview(fixed)["samples"])

"""GAN-CLS (book ch. 9, SPEC §10; Reed et al. 2016): caption embedding + z → 64×64 flower.

Three things beyond the book's code: the matching-aware discriminator weighs its wrong-text and fake terms by ½ as
Reed et al. do; GAN-INT (the paper's, not in the book) also judges G on halfway mixes of two captions' embeddings,
so the text space between captions makes flowers too (prompt interpolation relies on it); and StackGAN's
conditioning augmentation with its KL term. The caption embeddings come from a frozen text encoder, computed once
when the data is prepared (ml/training/prepare_captions.py).
"""

from __future__ import annotations

import numpy as np

from ganstudio.ml.inference.prompt import ENCODER_FOLDER
from ganstudio.ml.inference.prompt import KIND as MODEL_KIND  # its own kind: z → image pages do not list it
from ganstudio.ml.networks import gancls as nets
from ganstudio.ml.recipes import image_gan, register
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.training import gan_losses
from ganstudio.ml.training.config import TEXT, TrainConfig
from ganstudio.ml.training.data import to_float_images
from ganstudio.ml.training.update import update

PREVIEW_ROWS = 4  # fixed z's per preview prompt


def build(config: TrainConfig) -> dict:
    return {"generator": nets.generator(config.z_dim, config.text_dim, config.image_size, config.channels, config.ngf,
                                        config.kernel, config.ca_dim),
            "discriminator": nets.discriminator(config.text_dim, config.image_size, config.channels, config.ndf,
                                                config.kernel, norm=config.d_norm, spectral_norm=config.spectral_norm,
                                                condition=config.d_condition)}


def decode_batch(batch, config: TrainConfig):  # noqa: ARG001
    photos, text = batch
    return to_float_images(photos), text


def kl_divergence(stats):
    """KL(N(mu, σ²) ‖ N(0, I)) per sample, averaged: stats = [mu | logvar] (StackGAN's conditioning term)."""
    t = tf()
    mu, logvar = t.split(stats, 2, axis=-1)
    return t.reduce_mean(t.reduce_sum(0.5 * (t.exp(logvar) + t.square(mu) - 1.0 - logvar), axis=-1))


MATCH_GAMMA = 10.0  # AttnGAN's γ3: how sharply the matching loss's softmax over the batch's captions picks


def frozen_image_encoder(config: TrainConfig):
    """The text encoder's image side, frozen: tanh images → unit vectors in the captions' space."""
    from ganstudio.ml.inference.text_encoder import resolve_text_encoder
    from ganstudio.ml.text.model_folder import load_text_encoder
    from ganstudio.ml.text.networks import split_joint

    joint, _ = load_text_encoder(resolve_text_encoder(config.text_encoder))
    _, image_model = split_joint(joint)
    image_model.trainable = False
    return image_model


def matching_loss(image_model, fake, text):
    """AttnGAN's sentence-level DAMSM loss: each image must pick its caption among the batch's, and each caption
    its image (cross-entropy both ways over γ3-scaled cosines). The encoder takes pixel values, as the photos."""
    t = tf()
    pixels = (t.cast(fake, t.float32) + 1.0) * 127.5
    size = image_model.input_shape[1]
    if pixels.shape[1] != size:  # an encoder trained at another size reads the images at its own
        pixels = t.image.resize(pixels, (size, size), antialias=True)
    images = image_model(pixels, training=False)
    scores = MATCH_GAMMA * t.matmul(images, t.cast(text, t.float32), transpose_b=True)
    labels = t.range(t.shape(scores)[0])
    ce = t.nn.sparse_softmax_cross_entropy_with_logits
    return t.reduce_mean(ce(labels, scores) + ce(labels, t.transpose(scores)))


MS_EPS = 1e-5  # keeps the mode-seeking term finite when two images coincide (MSGAN's ε)


def mode_seeking_loss(image_a, image_b, z_a, z_b):
    """MSGAN's term (Mao et al. 2019): 1 / (mean |G(c, z₁) − G(c, z₂)| / mean |z₁ − z₂|). Minimising it pushes
    images of one caption apart in proportion to their z's: without it GAN-CLS's G learns to ignore z."""
    t = tf()
    images = t.reduce_mean(t.abs(t.cast(image_a, t.float32) - t.cast(image_b, t.float32)))
    return 1.0 / (images / t.reduce_mean(t.abs(z_a - z_b)) + MS_EPS)


def make_step(models: dict, optimizers: dict, rng, config: TrainConfig, replicas: int):
    import keras

    t = tf()
    G, D = models["generator"], models["discriminator"]
    with_stats = keras.Model(G.inputs, [G.outputs[0], G.get_layer("ca_stats").output], name="generator_with_stats")
    loss = gan_losses.get(config.loss or "ns")
    image_model = frozen_image_encoder(config) if config.match_weight else None

    def generate(text, with_z=False):
        n = t.shape(text)[0]
        z = image_gan.sample_z(rng, n, config.z_dim, config.prior)
        image, stats = with_stats([z, text, rng.normal((n, config.ca_dim))], training=True)
        return (image, kl_divergence(stats), z) if with_z else (image, kl_divergence(stats))

    def g_term(fake, text):
        logits = D([fake, text], training=True)
        return loss.terms(logits, logits, 0.0)[2]

    def d_loss(photos, text):
        wrong = t.roll(text, 1, axis=0)  # another photo's caption: realistic image, wrong text → "fake"
        fake, _ = generate(text)
        real_logits = D([photos, text], training=True)
        d_real, d_fake, _ = loss.terms(real_logits, D([fake, text], training=True), config.label_smoothing)
        _, d_wrong, _ = loss.terms(real_logits, D([photos, wrong], training=True), config.label_smoothing)
        return d_real + 0.5 * (d_fake + d_wrong), {"d_real": d_real, "d_fake": d_fake, "d_wrong": d_wrong}

    def g_loss(photos, text):  # noqa: ARG001
        fake, kl, z = generate(text, with_z=True)
        adv = g_term(fake, text)
        total, parts = adv + config.kl_weight * kl, {"g_adv": adv, "kl": kl}
        if config.ms_weight:  # a second z for half the batch's captions: +½ a generator pass, not +1
            half = t.shape(text)[0] // 2
            other, _, z_other = generate(text[:half], with_z=True)
            parts["mode_seeking"] = mode_seeking_loss(fake[:half], other, z[:half], z_other)
            total += config.ms_weight * parts["mode_seeking"]
        if image_model is not None:
            parts["match"] = matching_loss(image_model, fake, text)
            total += config.match_weight * parts["match"]
        if config.int_weight:
            mixed = 0.5 * (text + t.roll(text, 1, axis=0))  # GAN-INT, β = ½: no real photo has this text
            between, _ = generate(mixed)
            parts["g_int"] = g_term(between, mixed)
            total += config.int_weight * parts["g_int"]
        return total, parts

    def step(batch, labels):  # noqa: ARG001
        photos, text = batch
        for _ in range(config.n_critic):
            d_total, d_parts, d_norm = update(D, optimizers["discriminator"], lambda: d_loss(photos, text), replicas)
        g_total, g_parts, g_norm = update(G, optimizers["generator"], lambda: g_loss(photos, text), replicas)
        return {"d_loss": d_total, **d_parts, "g_loss": g_total, **g_parts, "grad_norm_d": d_norm,
                "grad_norm_g": g_norm}

    return step


def init_fixed(config: TrainConfig, data) -> dict[str, np.ndarray]:
    """PREVIEW_ROWS fixed z's under each preview prompt: the grid's columns are prompts, its rows z's."""
    prompts = np.asarray(data.preview_embeddings, np.float32)
    rng = np.random.default_rng([config.seed, 1])
    z = rng.standard_normal((PREVIEW_ROWS, config.z_dim)) if config.prior == "normal" else \
        rng.uniform(-1, 1, (PREVIEW_ROWS, config.z_dim))
    return {"z": np.repeat(z, len(prompts), axis=0).astype(np.float32),
            "eps": np.repeat(preview_eps(config, PREVIEW_ROWS), len(prompts), axis=0),
            "text": np.tile(prompts, (PREVIEW_ROWS, 1)),
            "prompts": np.asarray(data.preview_texts)}


def preview_eps(config: TrainConfig, rows: int) -> np.ndarray:
    """The conditioning noise ε of each preview row, drawn as in training (ε = 0, the Gaussian's centre, is where no
    training draw lies and gives blurred averages); seeded, so a run's grids and a resumed run's match."""
    return np.random.default_rng([config.seed, 2]).standard_normal((rows, config.ca_dim)).astype(np.float32)


def make_preview(models: dict, config: TrainConfig):
    from ganstudio.core.captions.headers import with_column_headers
    from ganstudio.core.grid import tile, to_uint8

    G = models["generator"]

    @tf().function
    def generate(z, text, eps):
        return G([z, text, eps], training=False)

    def preview(fixed: dict) -> dict:
        columns = len(fixed["prompts"])
        eps = fixed["eps"] if "eps" in fixed else \
            np.repeat(preview_eps(config, len(fixed["z"]) // columns), columns, axis=0)  # runs from before ε was kept
        samples = to_uint8(generate(fixed["z"], fixed["text"], eps).numpy())
        grid = tile(samples, columns=columns)
        return {"grid": with_column_headers(grid, [str(p) for p in fixed["prompts"]], columns), "samples": samples}

    return preview


def bundle(config: TrainConfig) -> dict:
    """The exported model carries a copy of the text encoder it was trained with: it works where only it is."""
    from ganstudio.ml.inference.text_encoder import resolve_text_encoder

    return {ENCODER_FOLDER: resolve_text_encoder(config.text_encoder)}


def check_config(config: TrainConfig) -> None:
    from ganstudio.core.errors import StudioError

    image_gan.check_config(config)
    if config.text_dim < 1:
        raise StudioError("This run has no caption embeddings.", "Train GAN-CLS on a captioned data set "
                          "(`ganstudio train gan-cls --data FOLDER`: images with same-named .txt captions).")


register(Recipe(
    name="gan-cls", title="GAN-CLS (text → image)",
    description="Text-to-image GAN (book ch. 9, Reed et al. 2016): a frozen text encoder's caption embedding and z "
                "make a 64×64 image; matching-aware discriminator, GAN-INT, conditioning augmentation and, optionally, a mode-seeking term.",
    build=build, make_step=make_step, family=TEXT, decode_batch=decode_batch, init_fixed=init_fixed,
    make_preview=make_preview, check=check_config, data_kind="captions", bundle=bundle,
    model_kind=MODEL_KIND, losses=("ns", "lsgan", "hinge"),
    defaults=dict(image_size=64, z_dim=100, batch_size=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999,
                  preview_count=8 * PREVIEW_ROWS, flip_augment=True),
    presets={"lean": dict(ngf=32, ndf=32, kernel=4), "book": dict(ngf=128, ndf=64, kernel=4)},
    preview_title="Generated (fixed z under each preview prompt)",
))

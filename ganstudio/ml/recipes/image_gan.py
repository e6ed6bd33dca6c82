"""The train step every z → image recipe shares (DCGAN, ResNet, MLP; conditional or not), for any registered loss:
n_critic critic updates, then one generator update, with the book's chapter 5 tricks as config switches.

The critic steps reuse the step's real batch with a fresh z each (as the Keras WGAN-GP example does): the batch
order stays one batch per step, so resume stays exact for every n_critic.
"""

from __future__ import annotations

from ganstudio.ml.training import gan_losses
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.runtime import tf
from ganstudio.ml.training.update import clip_weights, update

GAN_LOSSES = gan_losses.names()  # every image recipe takes every registered loss


def sample_z(rng, batch, z_dim: int, prior: str):
    """z from the training prior; the same prior serves training and fixed-z previews (SPEC §16 #26)."""
    if prior == "uniform":
        return rng.uniform((batch, z_dim), -1.0, 1.0)
    return rng.normal((batch, z_dim))


def critic_options(config: TrainConfig) -> dict:
    """The discriminator switches every image network builder takes."""
    return dict(norm=config.d_norm, spectral_norm=config.spectral_norm, minibatch_std=config.minibatch_std)


def networks(generator: str, discriminator: str):
    """build(config) from two builders named "module:function" in ml/networks, taking (z_dim, size, channels, width,
    classes) and (size, channels, width, classes, **critic options); imported on first build, not on listing."""
    import importlib

    def load(name: str):
        module, function = name.split(":")
        return getattr(importlib.import_module(f"ganstudio.ml.networks.{module}"), function)

    def build(config: TrainConfig) -> dict:
        classes = config.num_classes
        return {"generator": load(generator)(config.z_dim, config.image_size, config.channels, config.ngf, classes),
                "discriminator": load(discriminator)(config.image_size, config.channels, config.ndf, classes,
                                                     **critic_options(config))}

    return build


def _feature_critic(D):
    """(features model, head): D split before its last layer, for feature matching (weights shared with D)."""
    import keras

    head = D.layers[-1]
    return keras.Model(D.inputs, head.input, name="critic_features"), head


def make_step(models: dict, optimizers: dict, rng, config: TrainConfig, replicas: int):
    t = tf()
    G, D = models["generator"], models["discriminator"]
    opt_g, opt_d = optimizers["generator"], optimizers["discriminator"]
    loss = gan_losses.get(config.loss or "ns")
    conditional = config.num_classes > 0
    features, head = _feature_critic(D) if config.feature_matching else (None, None)

    def inputs(x, labels):
        return [x, labels] if conditional else x

    def noisy(x):
        """Instance noise, decaying linearly to 0 over noise_decay steps (the generator's step count)."""
        if not config.instance_noise:
            return x
        left = t.maximum(0.0, 1.0 - t.cast(opt_g.iterations, t.float32) / config.noise_decay)
        return x + config.instance_noise * left * rng.normal(t.shape(x))

    def critic(x, labels):
        return D(inputs(noisy(x), labels), training=True)

    def generate(labels, n):
        return G(inputs(sample_z(rng, n, config.z_dim, config.prior), labels), training=True)

    def d_loss(images, labels):
        fake = generate(labels, t.shape(images)[0])
        d_real, d_fake, _ = loss.terms(critic(images, labels), critic(fake, labels), config.label_smoothing)
        parts = {"d_real": d_real, "d_fake": d_fake}
        total = d_real + d_fake
        if config.gp_weight:
            parts["gp"] = gan_losses.gradient_penalty(lambda x: D(inputs(x, labels), training=True), images, fake, rng)
            total += config.gp_weight * parts["gp"]
        return total, parts

    def g_loss(images, labels):
        fake = generate(labels, t.shape(images)[0])
        if features is None:
            fake_logits = critic(fake, labels)
            real_logits = critic(images, labels) if loss.relativistic else fake_logits
            return loss.terms(real_logits, fake_logits, 0.0)[2], {}
        fake_features = features(inputs(noisy(fake), labels), training=True)
        real_features = features(inputs(noisy(images), labels), training=True)
        fake_logits = head(fake_features)
        real_logits = head(real_features) if loss.relativistic else fake_logits
        adv = loss.terms(real_logits, fake_logits, 0.0)[2]
        fm = t.reduce_mean(t.square(t.reduce_mean(t.stop_gradient(real_features), 0) - t.reduce_mean(fake_features, 0)))
        return adv + config.feature_matching * fm, {"fm": fm}

    def step(images, labels):
        for _ in range(config.n_critic):  # unrolled in the graph: n_critic is fixed for a run
            d_total, d_parts, d_norm = update(D, opt_d, lambda: d_loss(images, labels), replicas)
            if config.clip_weights:
                clip_weights(D, config.clip_weights)
        g_total, g_parts, g_norm = update(G, opt_g, lambda: g_loss(images, labels), replicas)
        return {"d_loss": d_total, **d_parts, "g_loss": g_total, **g_parts, "grad_norm_d": d_norm,
                "grad_norm_g": g_norm}

    return step


def check_config(config: TrainConfig) -> None:
    """Refuse settings that cannot train, with what to do instead (before any network is built)."""
    from ganstudio.core.errors import StudioError

    loss = gan_losses.get(config.loss or "ns")
    if config.n_critic < 1:
        raise StudioError(f"n_critic must be at least 1 (got {config.n_critic}).",
                          "Use 1 for most losses, 5 for WGAN and WGAN-GP.")
    if config.label_smoothing and not loss.bounded:
        raise StudioError(f"Label smoothing needs a probability loss; {loss.title} has no target to smooth.",
                          "Turn label smoothing off, or pick ns, minimax, lsgan or a relativistic loss.")
    if config.gp_weight and config.d_norm == "batch":
        raise StudioError("A gradient penalty cannot be used with batch norm in the critic (the penalty is per "
                          "sample; batch norm mixes the samples).", "Set the critic's normalisation to none or layer.")

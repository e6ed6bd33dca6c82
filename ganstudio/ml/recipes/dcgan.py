"""DCGAN (book ch. 3) and class-conditional DCGAN: non-saturating GAN loss, Adam(2e-4, β1 0.5)."""

from __future__ import annotations

from ganstudio.ml import losses
from ganstudio.ml.config import TrainConfig
from ganstudio.ml.networks import dcgan as nets
from ganstudio.ml.recipes import register
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf


def sample_z(rng, batch, z_dim: int, prior: str):
    """z from the training prior; the same function serves training and fixed-z previews (SPEC §16 #26)."""
    if prior == "uniform":
        return rng.uniform((batch, z_dim), -1.0, 1.0)
    return rng.normal((batch, z_dim))


def build(config: TrainConfig) -> dict:
    classes = config.num_classes
    return {
        "generator": nets.generator(config.z_dim, config.image_size, config.channels, config.ngf, config.kernel, classes),
        "discriminator": nets.discriminator(config.image_size, config.channels, config.ndf, config.kernel, classes),
    }


def make_step(models: dict, optimizers: dict, rng, config: TrainConfig, replicas: int):
    """One D update then one G update on the same z (SPEC §4.4). Losses are divided by the replica count because
    tf.distribute sums gradients across replicas."""
    t = tf()
    G, D = models["generator"], models["discriminator"]
    opt_g, opt_d = optimizers["generator"], optimizers["discriminator"]
    conditional = config.num_classes > 0

    def inputs(x, labels):
        return [x, labels] if conditional else x

    def step(images, labels):
        z = sample_z(rng, t.shape(images)[0], config.z_dim, config.prior)
        with t.GradientTape() as tape:
            fake = G(inputs(z, labels), training=True)
            d_real, d_fake = losses.ns_discriminator(D(inputs(images, labels), training=True),
                                                     D(inputs(fake, labels), training=True))
            d_loss = 0.5 * (d_real + d_fake)
            d_scaled = d_loss / replicas  # inside the tape, or the gradient is lost
        d_grads = tape.gradient(d_scaled, D.trainable_variables)
        opt_d.apply_gradients(zip(d_grads, D.trainable_variables))
        with t.GradientTape() as tape:
            g_loss = losses.ns_generator(D(inputs(G(inputs(z, labels), training=True), labels), training=True))
            g_scaled = g_loss / replicas
        g_grads = tape.gradient(g_scaled, G.trainable_variables)
        opt_g.apply_gradients(zip(g_grads, G.trainable_variables))
        return {"d_loss": d_loss, "d_real": d_real, "d_fake": d_fake, "g_loss": g_loss,
                "grad_norm_d": t.linalg.global_norm(d_grads) * replicas,
                "grad_norm_g": t.linalg.global_norm(g_grads) * replicas}

    return step


_DEFAULTS = dict(image_size=64, z_dim=100, ngf=64, ndf=64, batch_size=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5)

register(Recipe(
    name="dcgan",
    title="DCGAN",
    description="Deep convolutional GAN (book ch. 3): transposed-conv generator, strided-conv discriminator, "
                "non-saturating loss, Adam 2e-4 β1 0.5.",
    conditional=False, defaults=_DEFAULTS, build=build, make_step=make_step,
    loss_names=("d_loss", "d_real", "d_fake", "g_loss"),
))

register(Recipe(
    name="cdcgan",
    title="Conditional DCGAN",
    description="DCGAN conditioned on class labels (class subfolders or IDX labels): pick the class to generate.",
    conditional=True, defaults=_DEFAULTS, build=build, make_step=make_step,
    loss_names=("d_loss", "d_real", "d_fake", "g_loss"),
))

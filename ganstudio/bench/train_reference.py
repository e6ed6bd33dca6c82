"""The baselines of `engine_vs_reference_ratio*`: plain Keras GradientTape loops of the same models and losses over the
same data, written as the Keras examples write them (DCGAN; WGAN-GP with its critic steps and gradient penalty)."""

from __future__ import annotations

import time

import numpy as np

from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.runtime import tf


def _networks(config: TrainConfig, critic_norm: str = "batch"):
    from ganstudio.ml.networks import dcgan

    G = dcgan.generator(config.z_dim, config.image_size, config.channels, config.ngf, config.kernel)
    D = dcgan.discriminator(config.image_size, config.channels, config.ndf, config.kernel, norm=critic_norm)
    return G, D


def reference_images_per_s(config: TrainConfig, images: np.ndarray, warmup: int, steps: int) -> float:
    """Images/s of the textbook DCGAN loop: tf.function step, BCE from logits, Adam."""
    t = tf()
    import keras

    G, D = _networks(config)
    opt_g = keras.optimizers.Adam(config.lr_g, beta_1=config.beta1)
    opt_d = keras.optimizers.Adam(config.lr_d, beta_1=config.beta1)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @t.function
    def step(real_u8):  # the Keras DCGAN example's alternating updates: D on real+fake, then G on the same z
        real = t.cast(real_u8, t.float32) / 127.5 - 1.0
        z = t.random.normal((config.batch_size, config.z_dim))
        with t.GradientTape() as tape:
            real_logits, fake_logits = D(real, training=True), D(G(z, training=True), training=True)
            d_loss = 0.5 * (bce(t.ones_like(real_logits), real_logits) + bce(t.zeros_like(fake_logits), fake_logits))
        opt_d.apply_gradients(zip(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))
        with t.GradientTape() as tape:
            fake_logits = D(G(z, training=True), training=True)
            g_loss = bce(t.ones_like(fake_logits), fake_logits)
        opt_g.apply_gradients(zip(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))
        return d_loss

    return _timed(step, config, images, warmup, steps)


def reference_wgangp_images_per_s(config: TrainConfig, images: np.ndarray, warmup: int, steps: int) -> float:
    """Images/s of the Keras WGAN-GP example's train_step: n_critic critic updates on the batch with fresh z, the
    gradient penalty on random interpolates, then one generator update; Adam with the config's β."""
    t = tf()
    import keras

    G, D = _networks(config, critic_norm="none")
    opt_g = keras.optimizers.Adam(config.lr_g, beta_1=config.beta1, beta_2=config.beta2)
    opt_d = keras.optimizers.Adam(config.lr_d, beta_1=config.beta1, beta_2=config.beta2)
    batch = config.batch_size

    def penalty(real, fake):
        alpha = t.random.uniform((batch, 1, 1, 1), 0.0, 1.0)
        mixed = real + alpha * (fake - real)
        with t.GradientTape() as tape:
            tape.watch(mixed)
            scores = D(mixed, training=True)
        grads = tape.gradient(scores, mixed)
        return t.reduce_mean(t.square(t.sqrt(t.reduce_sum(t.square(grads), axis=[1, 2, 3])) - 1.0))

    @t.function
    def step(real_u8):
        real = t.cast(real_u8, t.float32) / 127.5 - 1.0
        for _ in range(config.n_critic):
            z = t.random.normal((batch, config.z_dim))
            with t.GradientTape() as tape:
                fake = G(z, training=True)
                d_loss = (t.reduce_mean(D(fake, training=True)) - t.reduce_mean(D(real, training=True))
                          + config.gp_weight * penalty(real, fake))
            opt_d.apply_gradients(zip(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))
        z = t.random.normal((batch, config.z_dim))
        with t.GradientTape() as tape:
            g_loss = -t.reduce_mean(D(G(z, training=True), training=True))
        opt_g.apply_gradients(zip(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))
        return d_loss

    return _timed(step, config, images, warmup, steps)


def _timed(step, config: TrainConfig, images: np.ndarray, warmup: int, steps: int) -> float:
    """Images/s of `step` over shuffled batches of the uint8 images, after `warmup` steps (tracing left out)."""
    t = tf()
    ds = t.data.Dataset.from_tensor_slices(images).shuffle(len(images)).repeat().batch(config.batch_size, drop_remainder=True)
    batches = iter(ds.prefetch(2))
    for _ in range(warmup):
        step(next(batches))
    start = time.perf_counter()
    for _ in range(steps):
        last = step(next(batches))
    float(last)  # wait for the last step to finish
    return steps * config.batch_size / (time.perf_counter() - start)

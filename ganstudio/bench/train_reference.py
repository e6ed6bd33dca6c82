"""The baseline for `engine_vs_reference_ratio`: a plain Keras GradientTape loop of the same DCGAN, same data."""

from __future__ import annotations

import time

import numpy as np

from ganstudio.ml.config import TrainConfig
from ganstudio.ml.runtime import tf


def reference_images_per_s(config: TrainConfig, images: np.ndarray, warmup: int, steps: int) -> float:
    """Images/s of the textbook loop: tf.function step, BCE from logits, Adam, tf.data over the same uint8 images."""
    t = tf()
    import keras

    from ganstudio.ml.networks import dcgan

    G = dcgan.generator(config.z_dim, config.image_size, config.channels, config.ngf, config.kernel)
    D = dcgan.discriminator(config.image_size, config.channels, config.ndf, config.kernel)
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
        return d_loss, g_loss

    ds = t.data.Dataset.from_tensor_slices(images).shuffle(len(images)).repeat().batch(config.batch_size, drop_remainder=True)
    batches = iter(ds.prefetch(2))
    for _ in range(warmup):
        step(next(batches))
    start = time.perf_counter()
    for _ in range(steps):
        d_loss, _ = step(next(batches))
    float(d_loss)  # wait for the last step to finish
    return steps * config.batch_size / (time.perf_counter() - start)

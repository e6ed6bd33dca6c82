"""GAN losses on discriminator logits. Each returns a scalar batch mean."""

from __future__ import annotations

from ganstudio.ml.runtime import tf


def ns_discriminator(real_logits, fake_logits):
    """−½[log D(x) + log(1 − D(G(z)))], SPEC §4.4, from logits (stable)."""
    t = tf()
    bce = t.nn.sigmoid_cross_entropy_with_logits
    real = t.reduce_mean(bce(labels=t.ones_like(real_logits), logits=real_logits))
    fake = t.reduce_mean(bce(labels=t.zeros_like(fake_logits), logits=fake_logits))
    return real, fake


def ns_generator(fake_logits):
    """Non-saturating −log D(G(z))."""
    t = tf()
    return t.reduce_mean(t.nn.sigmoid_cross_entropy_with_logits(labels=t.ones_like(fake_logits), logits=fake_logits))

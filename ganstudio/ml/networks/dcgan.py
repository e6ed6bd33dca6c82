"""DCGAN generator and discriminator (book ch. 3, SPEC §4), generalised to any power-of-two size ≥ 16,
with optional class conditioning (ganhacks: small label embedding, concatenated).

Fixes from SPEC §16: one z_dim stored in the config (#5); D outputs logits and the loss applies the sigmoid,
which is numerically stable; the channel ladder is dense 8·ngf → 4, 2, 1 → C as the code intends (#4).
"""

from __future__ import annotations

import math

from ganstudio.ml.runtime import tf


def _keras():
    tf()
    import keras

    return keras


def _init():
    return _keras().initializers.RandomNormal(stddev=0.02)  # N(0, 0.02), SPEC §4.2


def n_upsamples(image_size: int) -> int:
    """Number of ×2 stages from the 4×4 seed to image_size."""
    n = int(math.log2(image_size)) - 2
    if n < 2 or 4 * 2**n != image_size:
        raise ValueError(f"image_size must be a power of two ≥ 16, got {image_size}")
    return n


def generator(z_dim: int, image_size: int, channels: int, ngf: int = 64, kernel: int = 5, num_classes: int = 0,
              embed_dim: int = 50):
    """z (+ label) → Dense 4·4·(ngf·2^(n−1)) → n ConvT(k, s2) stages halving channels → tanh image in [−1, 1]."""
    keras = _keras()
    layers = keras.layers
    n = n_upsamples(image_size)
    z = keras.Input((z_dim,), name="z")
    inputs, x = [z], z
    if num_classes:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        x = layers.Concatenate()([z, layers.Embedding(num_classes, embed_dim, name="label_embedding")(label)])
    width = ngf * 2 ** (n - 1)
    x = layers.Dense(4 * 4 * width, kernel_initializer=_init(), name="project")(x)  # (4·4·width,)
    x = layers.Reshape((4, 4, width))(x)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    for i in range(n - 1):  # 4 → image_size/2, channels halve each stage
        width //= 2
        x = layers.Conv2DTranspose(width, kernel, strides=2, padding="same", kernel_initializer=_init())(x)
        x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(channels, kernel, strides=2, padding="same", kernel_initializer=_init(), name="to_image")(x)
    image = layers.Activation("tanh", dtype="float32", name="image")(x)  # (S, S, C)
    return keras.Model(inputs if num_classes else z, image, name="generator")


def discriminator(image_size: int, channels: int, ndf: int = 64, kernel: int = 5, num_classes: int = 0):
    """image (+ label plane) → n Conv(k, s2) stages doubling channels (no BN on the first) → Dense(1) logit."""
    keras = _keras()
    layers = keras.layers
    n = n_upsamples(image_size)
    image = keras.Input((image_size, image_size, channels), name="image")
    inputs, x = [image], image
    if num_classes:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        plane = layers.Embedding(num_classes, image_size * image_size, name="label_plane")(label)
        x = layers.Concatenate()([image, layers.Reshape((image_size, image_size, 1))(plane)])
    width = ndf
    for i in range(n):  # image_size → 4
        x = layers.Conv2D(width, kernel, strides=2, padding="same", kernel_initializer=_init())(x)
        if i > 0:
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
        width *= 2
    x = layers.Flatten()(x)
    logit = layers.Dense(1, kernel_initializer=_init(), dtype="float32", name="logit")(x)
    return keras.Model(inputs if num_classes else image, logit, name="discriminator")

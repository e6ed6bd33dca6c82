"""DCGAN generator and discriminator (book ch. 3, SPEC §4), generalised to any power-of-two size ≥ 16,
with optional class conditioning (ganhacks: small label embedding, concatenated).

Fixes from SPEC §16: one z_dim stored in the config (#5); D outputs logits and the loss applies the sigmoid,
which is numerically stable; the channel ladder is dense 8·ngf → 4, 2, 1 → C as the code intends (#4).
"""

from __future__ import annotations

import math

from ganstudio.ml.networks.tricks import maybe_spectral, minibatch_std_layer, normalization
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
    inputs, x = latent_input(z_dim, num_classes, embed_dim)
    return keras.Model(inputs, upsampling_stack(x, image_size, channels, ngf, kernel), name="generator")


def upsampling_stack(x, image_size: int, channels: int, ngf: int, kernel: int):
    """A code vector → Dense 4·4·(ngf·2^(n−1)) → n ConvT(k, s2) stages halving channels → tanh image in [−1, 1]."""
    layers = _keras().layers
    n = n_upsamples(image_size)
    width = ngf * 2 ** (n - 1)
    x = layers.Dense(4 * 4 * width, kernel_initializer=_init(), name="project")(x)  # (4·4·width,)
    x = layers.Reshape((4, 4, width))(x)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    for i in range(n - 1):  # 4 → image_size/2, channels halve each stage
        width //= 2
        x = layers.Conv2DTranspose(width, kernel, strides=2, padding="same", kernel_initializer=_init())(x)
        x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(channels, kernel, strides=2, padding="same", kernel_initializer=_init(), name="to_image")(x)
    return layers.Activation("tanh", dtype="float32", name="image")(x)  # (S, S, C)


def discriminator(image_size: int, channels: int, ndf: int = 64, kernel: int = 5, num_classes: int = 0, *,
                  norm: str = "batch", spectral_norm: bool = False, minibatch_std: bool = False):
    """image (+ label plane) → n Conv(k, s2) stages doubling channels (no norm on the first) → Dense(1) logit.

    `norm` ("batch" | "layer" | "none"), `spectral_norm` and `minibatch_std` (a feature before the Dense) are the
    zoo's tricks (networks.tricks); the defaults build the book's discriminator, layer for layer.
    """
    keras = _keras()
    layers = keras.layers
    n = n_upsamples(image_size)
    inputs, x = image_input(image_size, channels, num_classes)
    x = downsampling_stack(x, n, ndf, kernel, norm, spectral_norm)
    if minibatch_std:
        x = minibatch_std_layer()(x)
    x = layers.Flatten()(x)
    dense = layers.Dense(1, kernel_initializer=_init(), dtype="float32", name="logit")
    return keras.Model(inputs, maybe_spectral(dense, spectral_norm)(x), name="discriminator")


def downsampling_stack(x, n: int, ndf: int, kernel: int, norm: str = "batch", spectral_norm: bool = False):
    """n Conv(k, s2) + LeakyReLU stages doubling channels from ndf (no norm on the first): image → 4×4 features."""
    layers = _keras().layers
    width = ndf
    for i in range(n):
        conv = layers.Conv2D(width, kernel, strides=2, padding="same", kernel_initializer=_init())
        x = maybe_spectral(conv, spectral_norm)(x)
        if i > 0:
            x = normalization(norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        width *= 2
    return x


def latent_input(z_dim: int, num_classes: int = 0, embed_dim: int = 50):
    """(model inputs, tensor): z alone, or [z, int32 label] with a small label embedding joined to z (ganhacks)."""
    keras = _keras()
    z = keras.Input((z_dim,), name="z")
    if not num_classes:
        return z, z
    label = keras.Input((), dtype="int32", name="label")
    embedding = keras.layers.Embedding(num_classes, embed_dim, name="label_embedding")(label)
    return [z, label], keras.layers.Concatenate()([z, embedding])


def image_input(image_size: int, channels: int, num_classes: int = 0):
    """(model inputs, tensor): the image alone, or [image, int32 label] with a learned label plane as a channel."""
    keras = _keras()
    layers = keras.layers
    image = keras.Input((image_size, image_size, channels), name="image")
    if not num_classes:
        return image, image
    label = keras.Input((), dtype="int32", name="label")
    plane = layers.Embedding(num_classes, image_size * image_size, name="label_plane")(label)
    return [image, label], layers.Concatenate()([image, layers.Reshape((image_size, image_size, 1))(plane)])

"""GAN-CLS networks (book ch. 9, SPEC §10; Reed et al. 2016) with StackGAN's conditioning augmentation.

Generator: text embedding → conditioning augmentation (a Gaussian around a projection of the embedding, sampled
with the `eps` input: zeros give its mean) → joined to z → the DCGAN upsampling stack → 64×64 image.
Discriminator: image → the DCGAN downsampling stack to 4×4; the embedding projected to 128 and tiled over the 4×4
grid (the book's RepeatVector) → joined → 1×1 conv → logit, so D can judge whether image and text match.
"""

from __future__ import annotations

import functools

from ganstudio.ml.networks.dcgan import _init, downsampling_stack, n_upsamples, upsampling_stack
from ganstudio.ml.networks.tricks import maybe_spectral, normalization
from ganstudio.ml.runtime import tf

TEXT_PROJECTION = 128  # the book's embedding_dim: the text's width inside D


def _keras():
    tf()
    import keras

    return keras


@functools.cache
def conditioning_class():
    """The ConditioningAugmentation layer class, defined and registered on first use."""
    keras = _keras()

    @keras.saving.register_keras_serializable(package="ganstudio")
    class ConditioningAugmentation(keras.layers.Layer):
        """[stats (B, 2c), eps (B, c)] → mu + exp(½·logvar)·eps, where stats = [mu | logvar] (StackGAN).

        A small neighbourhood of each caption's embedding maps to the same flower, so the few captions of a photo
        cover more of the text space; the KL term that keeps it Gaussian is added by the train step."""

        def call(self, inputs):
            stats, eps = inputs
            mu, logvar = keras.ops.split(stats, 2, axis=-1)
            return mu + keras.ops.exp(0.5 * logvar) * eps

        def compute_output_shape(self, shapes):
            return shapes[1]

    return ConditioningAugmentation


def generator(z_dim: int, text_dim: int, image_size: int = 64, channels: int = 3, ngf: int = 64, kernel: int = 4,
              ca_dim: int = 128):
    """[z (z_dim), text (text_dim), eps (ca_dim)] → tanh image (S, S, C); the layer "ca_stats" holds [mu | logvar]."""
    keras = _keras()
    layers = keras.layers
    z, text, eps = keras.Input((z_dim,), name="z"), keras.Input((text_dim,), name="text"), keras.Input((ca_dim,), name="eps")
    stats = layers.Dense(2 * ca_dim, kernel_initializer=_init(), name="ca_stats")(text)
    condition = conditioning_class()(name="conditioning")([stats, eps])
    code = layers.Concatenate()([z, layers.LeakyReLU(0.2)(condition)])
    return keras.Model([z, text, eps], upsampling_stack(code, image_size, channels, ngf, kernel), name="generator")


def discriminator(text_dim: int, image_size: int = 64, channels: int = 3, ndf: int = 64, kernel: int = 4, *,
                  norm: str = "batch", spectral_norm: bool = False, condition: str = "concat"):
    """[image, text] → logit: does this look like a real flower *and* match this text?

    condition "concat" is the book's (the text tiled beside the 4×4 features); "projection" is Miyato & Koyama's
    projection discriminator: logit = ψ(φ(x)) + ⟨V·text, φ(x)⟩ over the pooled features φ(x)."""
    keras = _keras()
    layers = keras.layers
    image, text = keras.Input((image_size, image_size, channels), name="image"), keras.Input((text_dim,), name="text")
    x = downsampling_stack(image, n_upsamples(image_size), ndf, kernel, norm, spectral_norm)  # (4, 4, ndf·2^(n−1))
    if condition == "projection":
        return keras.Model([image, text], _projection_logit(x, text, spectral_norm), name="discriminator")
    t = layers.LeakyReLU(0.2)(layers.Dense(TEXT_PROJECTION, kernel_initializer=_init(), name="text_projection")(text))
    t = layers.Reshape((4, 4, TEXT_PROJECTION))(layers.RepeatVector(16)(t))  # the same text at every 4×4 cell
    x = layers.Concatenate()([x, t])
    joint = layers.Conv2D(x.shape[-1] - TEXT_PROJECTION, 1, kernel_initializer=_init(), name="joint")
    x = layers.LeakyReLU(0.2)(normalization(norm)(maybe_spectral(joint, spectral_norm)(x)))
    x = layers.Flatten()(x)
    dense = layers.Dense(1, kernel_initializer=_init(), dtype="float32", name="logit")
    return keras.Model([image, text], maybe_spectral(dense, spectral_norm)(x), name="discriminator")


def _projection_logit(features, text, spectral_norm: bool):
    """The projection head: an unconditional score of the pooled features plus their inner product with the
    projected text. The text term's gradient points G's features straight at the caption's direction, where the
    concat head leaves it to a 1×1 conv to discover the match (Miyato & Koyama 2018)."""
    keras = _keras()
    layers = keras.layers
    pooled = layers.GlobalAveragePooling2D()(features)
    unconditional = maybe_spectral(layers.Dense(1, kernel_initializer=_init(), name="logit"), spectral_norm)(pooled)
    embed = maybe_spectral(layers.Dense(pooled.shape[-1], use_bias=False, kernel_initializer=_init(),
                                        name="text_projection"), spectral_norm)(text)
    match = layers.Dot(axes=1, name="text_match")([embed, pooled])
    return layers.Activation("linear", dtype="float32", name="logit_total")(layers.Add()([unconditional, match]))

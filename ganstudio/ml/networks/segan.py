"""SEGAN networks (SPEC §11): a 1-D convolutional encoder-decoder generator with skips and z at the bottleneck, and a
convolutional discriminator on the (noisy, clean-or-enhanced) pair. Waveforms are (batch, samples, 1) in [−1, 1].

Two variants: the book's (5 layers, stride 4) and the original paper's deeper one (11 layers, stride 2).
"""

from __future__ import annotations

import functools

import numpy as np

from ganstudio.ml.networks.layers import keras_layers
from ganstudio.ml.runtime import tf

KERNEL = 31


def variant_layers(variant: str, width: int) -> tuple[tuple[int, ...], int]:
    """(filters per encoder layer, stride). `width` is the first layer's filters (the book: 64; the paper: 16)."""
    if variant == "book":
        return tuple(width * m for m in (1, 2, 4, 8, 16)), 4
    if variant == "paper":
        return tuple(width * m for m in (1, 2, 2, 4, 4, 8, 8, 16, 16, 32, 64)), 2
    raise ValueError(f"unknown SEGAN variant {variant!r}: use 'book' or 'paper'")


def total_stride(variant: str) -> int:
    filters, stride = variant_layers(variant, 1)
    return stride ** len(filters)


@functools.cache
def channel_scale_class():
    """ChannelScale: a learned per-channel multiplier on each skip (the book's ScaleLayer, registered for safe loading).

    SPEC §16 #37: the book's weight had shape (length, channels), tying the model to one input length; here it is
    (channels,), broadcast over time, so the same model denoises windows of any length.
    """
    tf()
    import keras

    @keras.saving.register_keras_serializable(package="ganstudio")
    class ChannelScale(keras.layers.Layer):
        def build(self, shape):
            self.scale = self.add_weight(shape=(shape[-1],), initializer="ones", name="scale")

        def call(self, x):
            return x * self.scale

    return ChannelScale


def _prelu():
    layers, _ = keras_layers()
    return layers.PReLU(shared_axes=[1])  # one slope per channel: Keras' default (per position) fixes the length


def segan_generator(variant: str = "book", width: int = 16, skip_scale: bool = True, residual: bool = False):
    """[noisy (B, L, 1), z (B, L / stride**layers, filters[-1])] → enhanced (B, L, 1); L a multiple of total_stride.

    `residual`: the decoder predicts a correction that is added to the noisy input (enhanced = noisy + decoder), its
    last layer starting at zero. The book's generator has to rebuild every sample of the waveform from features at a
    quarter of the rate, and until it has learnt to, its output is worse than its input; the residual one starts as
    the identity, scores exactly what the input scores, and can only be trained away from it toward clean speech.
    """
    layers, keras = keras_layers()
    filters, stride = variant_layers(variant, width)
    noisy = keras.Input((None, 1), name="noisy")
    z = keras.Input((None, filters[-1]), name="z")
    x, skips = noisy, []
    for f in filters:  # encoder: no normalisation (SPEC §11.3)
        x = _prelu()(layers.Conv1D(f, KERNEL, strides=stride, padding="same")(x))
        skips.append(channel_scale_class()()(x) if skip_scale else x)
    x = z
    outs = (1, *filters[:-1])
    for i in reversed(range(len(filters))):
        x = layers.Concatenate()([x, skips[i]])  # at the bottleneck: [z, encoder output]
        if i == 0 and residual:
            correction = layers.Conv1DTranspose(1, KERNEL, strides=stride, padding="same", kernel_initializer="zeros",
                                                name="correction")(x)
            x = layers.Add(name="enhanced")([noisy, correction])
        else:
            x = layers.Conv1DTranspose(outs[i], KERNEL, strides=stride, padding="same")(x)
            x = layers.Activation("tanh", name="enhanced")(x) if i == 0 else _prelu()(x)
    return keras.Model([noisy, z], x, name="segan_generator")


def segan_discriminator(window: int, variant: str = "book", width: int = 16):
    """[noisy, clean or enhanced] (B, window, 1) each → (B, 1) linear score (LSGAN)."""
    layers, keras = keras_layers()
    filters, stride = variant_layers(variant, width)
    noisy = keras.Input((window, 1), name="noisy")
    other = keras.Input((window, 1), name="clean_or_enhanced")
    x = layers.Concatenate()([other, noisy])
    for f in filters:
        x = layers.Conv1D(f, KERNEL, strides=stride, padding="same")(x)
        x = _prelu()(layers.BatchNormalization(momentum=0.9, epsilon=1e-5)(x))  # SPEC §16 #36: Keras 0.9 = PyTorch 0.1
    x = layers.Flatten()(x)
    for units in (256, 128):
        x = layers.PReLU()(layers.Dense(units)(x))
    return keras.Model([noisy, other], layers.Dense(1)(x), name="segan_discriminator")


# ---- the generator's I/O convention, shared by training previews and the denoiser --------------------------------
def deemphasis(x: np.ndarray, coefficient: float) -> np.ndarray:
    """Inverse of y[n] = x[n] − a·x[n−1], along the last axis."""
    if not coefficient:
        return x
    from scipy.signal import lfilter

    return lfilter([1.0], [1.0, -coefficient], x, axis=-1).astype(np.float32)


def emphasis(x: np.ndarray, coefficient: float) -> np.ndarray:
    if not coefficient:
        return x
    out = x.copy()
    out[..., 1:] -= coefficient * x[..., :-1]
    return out


def enhance_windows(G, noisy: np.ndarray, preemphasis: float = 0.0) -> np.ndarray:
    """(n, L) float32 windows → enhanced (n, L); L a multiple of the generator's total stride."""
    x = emphasis(np.asarray(noisy, np.float32), preemphasis)[..., None]
    z = np.zeros((x.shape[0], x.shape[1] // generator_stride(G), G.inputs[1].shape[-1]), np.float32)
    out = G([x, z], training=False)
    return deemphasis(np.asarray(out)[..., 0], preemphasis)


def generator_stride(G) -> int:
    """The generator's overall downsampling (its input length must be a multiple of it), read from its convs."""
    return int(np.prod([layer.strides[0] for layer in G.layers if layer.__class__.__name__ == "Conv1D"]))

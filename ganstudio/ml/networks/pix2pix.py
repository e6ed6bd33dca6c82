"""pix2pix U-Net generator (SPEC §7.2): an encoder-decoder with skips; dropout in the first decoder blocks is its noise.

Fully convolutional, so a model trained at 128 px renders any size that is a multiple of 2**depth.
"""

from __future__ import annotations

import math

from ganstudio.ml.networks.layers import instance_norm, keras_layers


def unet_depth(image_size: int) -> int:
    """Downsamplings down to a 2×2 bottleneck (the book stops at 2×2 for 256 px; 128 px needs one fewer)."""
    return max(2, int(math.log2(image_size)) - 1)


def _down(x, filters: int, norm: bool):
    layers, keras = keras_layers()
    x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not norm)(x)
    if norm:
        x = instance_norm()(x)
    return layers.LeakyReLU(0.2)(x)


def _up(x, skip, filters: int, dropout: float):
    layers, keras = keras_layers()
    # Upsample + 3×3 conv rather than a transposed conv: no checkerboard, and 9 taps instead of the book's 16.
    x = layers.UpSampling2D(2, interpolation="nearest")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.ReLU()(instance_norm()(x))
    if dropout:
        x = layers.Dropout(dropout)(x)
    return layers.Concatenate()([x, skip])


def unet_generator(image_size: int, in_channels: int, out_channels: int = 3, ngf: int = 32,
                   dropout: float = 0.5, dropout_blocks: int = 3):
    """(H, W, in) in [−1, 1] → (H, W, out) in [−1, 1]. Filters ngf·(1, 2, 4, 8, 8, …), as in the book."""
    layers, keras = keras_layers()
    depth = unet_depth(image_size)
    widths = [ngf * min(2 ** i, 8) for i in range(depth)]
    inp = keras.Input((None, None, in_channels), name="sketch")
    skips, x = [], inp
    for i, width in enumerate(widths):
        x = _down(x, width, norm=0 < i < depth - 1)  # no norm on the first layer or the 2×2 bottleneck
        skips.append(x)
    for i, width in enumerate(reversed(widths[:-1])):
        x = _up(x, skips[-2 - i], width, dropout if i < dropout_blocks else 0.0)
    x = layers.UpSampling2D(2, interpolation="nearest")(x)
    out = layers.Conv2D(out_channels, 3, padding="same", activation="tanh", dtype="float32", name="photo")(x)
    return keras.Model(inp, out, name="unet_generator")

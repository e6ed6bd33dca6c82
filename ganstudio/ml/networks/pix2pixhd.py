"""pix2pixHD-lite global generator (SPEC §7.3): reflection padding, strided downsampling, residual blocks, upsampling.

Input: one-hot label map (+ optional instance-boundary channel). The local enhancer is left out, as in the book.
"""

from __future__ import annotations

from ganstudio.ml.networks.layers import instance_norm, keras_layers, reflection_pad


def _conv_norm_relu(x, filters: int, kernel: int, strides: int = 1, pad: int = 0):
    layers, keras = keras_layers()
    if pad:
        x = reflection_pad(pad)(x)
    x = layers.Conv2D(filters, kernel, strides=strides, padding="valid" if pad else "same", use_bias=False)(x)
    return layers.ReLU()(instance_norm()(x))


def _residual_block(x, filters: int, dropout: float):
    layers, keras = keras_layers()
    y = _conv_norm_relu(x, filters, 3, pad=1)
    if dropout:
        y = layers.Dropout(dropout)(y)  # pix2pixHD's use_dropout: here also the source of render variations
    y = reflection_pad(1)(y)
    y = instance_norm()(layers.Conv2D(filters, 3, padding="valid", use_bias=False)(y))
    return layers.Add()([x, y])  # no activation after the add (SPEC §7.3)


def global_generator(in_channels: int, ngf: int = 16, n_downsampling: int = 3, n_blocks: int = 6,
                     dropout: float = 0.2, out_channels: int = 3):
    """(H, W, in) → (H, W, 3) in [−1, 1]; H and W multiples of 2**n_downsampling."""
    layers, keras = keras_layers()
    inp = keras.Input((None, None, in_channels), name="labels")
    x = _conv_norm_relu(inp, ngf, 7, pad=3)
    for i in range(n_downsampling):
        x = _conv_norm_relu(x, ngf * 2 ** (i + 1), 3, strides=2)
    for _ in range(n_blocks):
        x = _residual_block(x, ngf * 2 ** n_downsampling, dropout)
    for i in reversed(range(n_downsampling)):
        # Upsample + conv instead of the book's transposed conv: avoids checkerboard patterns on flat label regions.
        x = _conv_norm_relu(layers.UpSampling2D(2, interpolation="nearest")(x), ngf * 2 ** i, 3)
    x = reflection_pad(3)(x)
    out = layers.Conv2D(out_channels, 7, padding="valid", activation="tanh", dtype="float32", name="photo")(x)
    return keras.Model(inp, out, name="global_generator")

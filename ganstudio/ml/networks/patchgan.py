"""PatchGAN discriminators (SPEC §7.2, §7.3): one scale for pix2pix, several for pix2pixHD-lite.

The multi-scale version applies the same 3-stride-2 design to the pair at ×1, ×½, ×¼, so its score maps are
H/8, H/16, H/32 — the intended design, not the book's mismatched sizes (SPEC §16 #19).
"""

from __future__ import annotations

from ganstudio.ml.networks.layers import instance_norm, keras_layers


def _patch_stack(x, ndf: int, n_layers: int, prefix: str) -> list:
    """[features…, score]: n_layers stride-2 convs, one stride-1 conv, a 1-channel head (70×70 receptive field)."""
    layers, keras = keras_layers()
    outputs, width = [], ndf
    for i in range(n_layers + 1):
        stride = 2 if i < n_layers else 1
        x = layers.Conv2D(width, 4, strides=stride, padding="same", use_bias=i == 0, name=f"{prefix}conv{i}")(x)
        if i > 0:
            x = instance_norm(name=f"{prefix}norm{i}")(x)
        x = layers.LeakyReLU(0.2)(x)
        outputs.append(x)
        width = min(width * 2, 8 * ndf)  # grows 64, 128, 256, 512 (the book's never grew: SPEC §16 #19)
    outputs.append(layers.Conv2D(1, 4, padding="same", dtype="float32", name=f"{prefix}score")(x))
    return outputs


def patch_discriminator(in_channels: int, ndf: int = 64, n_layers: int = 3, scales: int = 1,
                        with_features: bool = False):
    """(condition, image) → per scale [features…, score] (with_features) or [score]; linear scores (LSGAN or logits)."""
    layers, keras = keras_layers()
    cond = keras.Input((None, None, in_channels), name="condition")
    image = keras.Input((None, None, 3), name="image")
    x = layers.Concatenate()([cond, image])
    outputs = []
    for s in range(scales):
        stack = _patch_stack(x, ndf, n_layers, prefix=f"s{s}_")
        outputs += stack if with_features else stack[-1:]
        if s + 1 < scales:
            x = layers.AveragePooling2D(3, strides=2, padding="same")(x)
    return keras.Model([cond, image], outputs, name="patch_discriminator")

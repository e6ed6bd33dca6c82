"""ResNet generator and critic of ch. 5 (WGAN, WGAN-GP), in the Gulrajani et al. CIFAR form the book's code imports
but never shows (SPEC §6.3 [ext]): pre-activation residual blocks, constant width, nearest ×2 up / mean-pool ×½ down.
"""

from __future__ import annotations

from ganstudio.ml.networks.dcgan import image_input, latent_input, n_upsamples
from ganstudio.ml.networks.layers import keras_layers
from ganstudio.ml.networks.tricks import maybe_spectral, minibatch_std_layer, normalization


def _conv(width: int, kernel: int, spectral: bool):
    layers, _ = keras_layers()
    return maybe_spectral(layers.Conv2D(width, kernel, padding="same"), spectral)


def _shortcut(x, width: int, resample: str | None, spectral: bool):
    """Identity when shapes match; otherwise a 1×1 conv, after the upsample or before the mean-pool (cheaper)."""
    layers, _ = keras_layers()
    if resample is None and x.shape[-1] == width:
        return x
    if resample == "up":
        x = layers.UpSampling2D(2)(x)
    x = _conv(width, 1, spectral)(x)
    return layers.AveragePooling2D(2)(x) if resample == "down" else x


def res_block(x, width: int, resample: str | None = None, norm: str = "batch", spectral: bool = False):
    """[norm → ReLU → (up) → conv3 → norm → ReLU → conv3 → (down)] + shortcut; `resample` is "up", "down" or None."""
    layers, _ = keras_layers()
    h = layers.ReLU()(normalization(norm)(x))
    if resample == "up":
        h = layers.UpSampling2D(2)(h)  # nearest: no checkerboard artefacts from transposed convs
    h = _conv(width, 3, spectral)(h)
    h = layers.ReLU()(normalization(norm)(h))
    h = _conv(width, 3, spectral)(h)
    if resample == "down":
        h = layers.AveragePooling2D(2)(h)
    return layers.Add()([h, _shortcut(x, width, resample, spectral)])


def _first_down_block(x, width: int, spectral: bool):
    """Gulrajani's optimised first critic block: no activation before the first conv (the input is the raw image)."""
    layers, _ = keras_layers()
    h = layers.ReLU()(_conv(width, 3, spectral)(x))
    h = layers.AveragePooling2D(2)(_conv(width, 3, spectral)(h))
    shortcut = _conv(width, 1, spectral)(layers.AveragePooling2D(2)(x))
    return layers.Add()([h, shortcut])


def resnet_generator(z_dim: int, image_size: int, channels: int, ngf: int = 128, num_classes: int = 0):
    """z (+ label) → Dense 4·4·ngf → n up-ResBlocks (32 px: 3, 64 px: 4) → BN, ReLU → Conv3×3 → tanh image."""
    layers, keras = keras_layers()
    n = n_upsamples(image_size)
    inputs, x = latent_input(z_dim, num_classes)
    x = layers.Dense(4 * 4 * ngf, name="project")(x)
    x = layers.Reshape((4, 4, ngf))(x)
    for _ in range(n):  # 4 → image_size
        x = res_block(x, ngf, "up")
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Conv2D(channels, 3, padding="same", name="to_image")(x)
    image = layers.Activation("tanh", dtype="float32", name="image")(x)  # (S, S, C)
    return keras.Model(inputs, image, name="generator")


def resnet_discriminator(image_size: int, channels: int, ndf: int = 128, num_classes: int = 0, norm: str = "none",
                         spectral_norm: bool = False, minibatch_std: bool = False):
    """image (+ label plane) → optimised down block → down ResBlocks to 8×8 → 2 ResBlocks → ReLU → mean pool → logit.

    `norm` defaults to "none": batch norm makes each critic output depend on the rest of the batch, which breaks the
    per-sample gradient penalty of WGAN-GP. The minibatch-std feature (if on) enters at 8×8, before the plain blocks.
    """
    layers, keras = keras_layers()
    n = n_upsamples(image_size)  # validates the size; image_size = 2^(n+2)
    inputs, x = image_input(image_size, channels, num_classes)
    x = _first_down_block(x, ndf, spectral_norm)
    for _ in range(n - 2):  # image_size/2 → 8
        x = res_block(x, ndf, "down", norm, spectral_norm)
    if minibatch_std:
        x = minibatch_std_layer()(x)
    for _ in range(2):
        x = res_block(x, ndf, None, norm, spectral_norm)
    x = layers.GlobalAveragePooling2D()(layers.ReLU()(x))
    dense = layers.Dense(1, dtype="float32", name="logit")
    return keras.Model(inputs, maybe_spectral(dense, spectral_norm)(x), name="discriminator")

"""The vanilla fully connected GAN (book ch. 1–2 primers, SPEC §2): G maps z to a flat pixel vector, D is an MLP.
Any image size works (28 px MNIST as well as the built-in 32 px one); the widths follow the common Keras reference.
"""

from __future__ import annotations

from ganstudio.ml.networks.dcgan import image_input, latent_input
from ganstudio.ml.networks.layers import keras_layers
from ganstudio.ml.networks.tricks import maybe_spectral, minibatch_std_layer, normalization


def mlp_generator(z_dim: int, image_size: int, channels: int, hidden: int = 256, num_classes: int = 0):
    """z (+ label) → Dense hidden, 2·hidden, 4·hidden (each LeakyReLU 0.2) → Dense S·S·C → reshape → tanh image."""
    layers, keras = keras_layers()
    inputs, x = latent_input(z_dim, num_classes)
    for width in (hidden, 2 * hidden, 4 * hidden):
        x = layers.LeakyReLU(0.2)(layers.Dense(width)(x))
    x = layers.Dense(image_size * image_size * channels, name="to_pixels")(x)
    x = layers.Reshape((image_size, image_size, channels))(x)
    image = layers.Activation("tanh", dtype="float32", name="image")(x)  # (S, S, C)
    return keras.Model(inputs, image, name="generator")


def mlp_discriminator(image_size: int, channels: int, hidden: int = 256, num_classes: int = 0,
                      spectral_norm: bool = False, minibatch_std: bool = False, norm: str = "none"):
    """image (+ label plane) → Flatten → Dense 2·hidden, hidden (each LeakyReLU 0.2) → Dense(1) logit.

    `norm` defaults to "none": a batch-normalised D judges each sample by its batch (and breaks WGAN-GP's per-sample
    penalty). It is accepted so every image D takes the same switches; as in DCGAN, the first layer gets none.
    """
    layers, keras = keras_layers()
    inputs, x = image_input(image_size, channels, num_classes)
    x = layers.Flatten()(x)
    for i, width in enumerate((2 * hidden, hidden)):
        x = maybe_spectral(layers.Dense(width), spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(normalization(norm)(x) if i > 0 else x)
    if minibatch_std:
        x = minibatch_std_layer()(x)  # one extra feature next to the `hidden` ones
    dense = layers.Dense(1, dtype="float32", name="logit")
    return keras.Model(inputs, maybe_spectral(dense, spectral_norm)(x), name="discriminator")

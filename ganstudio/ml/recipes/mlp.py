"""The vanilla GAN of the primers: fully connected generator and discriminator on flattened pixels (MNIST digits),
any registered loss, the shared train step. G and D widths are `ngf` and `ndf` (the first hidden layer's units)."""

from __future__ import annotations

from ganstudio.ml.training.config import GAN
from ganstudio.ml.recipes import image_gan, register
from ganstudio.ml.recipes.base import Recipe

register(Recipe(
    name="mlp", title="Vanilla GAN (MLP)",
    description="The first GAN of the primers: fully connected generator and discriminator on flattened pixels, "
                "LeakyReLU, non-saturating loss. Fast on a CPU; best on small grey images such as MNIST digits.",
    family=GAN, build=image_gan.networks("mlp:mlp_generator", "mlp:mlp_discriminator"),
    make_step=image_gan.make_step, check=image_gan.check_config, losses=image_gan.GAN_LOSSES,
    defaults=dict(image_size=32, z_dim=64, ngf=128, ndf=128, batch_size=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5,
                  d_norm="none", kernel=4)))

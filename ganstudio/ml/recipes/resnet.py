"""ResNet GAN (book ch. 5, the WGAN/WGAN-GP networks): up-sampling residual generator and down-sampling residual
critic without batch norm (Gulrajani et al.'s CIFAR form, SPEC §6.3); any registered loss, the shared train step."""

from __future__ import annotations

from ganstudio.ml.training.config import GAN
from ganstudio.ml.recipes import image_gan, register
from ganstudio.ml.recipes.base import Recipe

register(Recipe(
    name="resnet", title="ResNet GAN",
    description="Residual generator and critic (book ch. 5): nearest-neighbour up-sampling blocks, mean-pool "
                "down-sampling blocks, no batch norm in the critic; pairs well with WGAN-GP and hinge losses.",
    family=GAN, build=image_gan.networks("resnet:resnet_generator", "resnet:resnet_discriminator"),
    make_step=image_gan.make_step, check=image_gan.check_config, losses=image_gan.GAN_LOSSES,
    presets={"lean": dict(ngf=32, ndf=32), "book": dict(ngf=128, ndf=128)},  # book: Gulrajani et al.'s width
    defaults=dict(image_size=32, z_dim=128, batch_size=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5, d_norm="none")))

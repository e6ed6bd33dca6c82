"""DCGAN (book ch. 3) and class-conditional DCGAN: strided convolutions both ways, any registered loss (non-saturating
by default, Adam 2e-4 β1 0.5); the train step is the one all z → image recipes share (recipes/image_gan.py)."""

from __future__ import annotations

from ganstudio.ml.training.config import GAN, TrainConfig
from ganstudio.ml.networks import dcgan as nets
from ganstudio.ml.recipes import image_gan, register
from ganstudio.ml.recipes.base import Recipe


def build(config: TrainConfig) -> dict:
    classes = config.num_classes
    return {
        "generator": nets.generator(config.z_dim, config.image_size, config.channels, config.ngf, config.kernel, classes),
        "discriminator": nets.discriminator(config.image_size, config.channels, config.ndf, config.kernel, classes,
                                            **image_gan.critic_options(config)),
    }


_DEFAULTS = dict(image_size=64, z_dim=100, batch_size=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5)
# book: the book's networks. lean: half the filters and 4×4 kernels, ~6× faster per image on a CPU (4×4 also tiles
# stride 2 evenly, so fewer checkerboard artefacts); the shipped flower generator is lean.
PRESETS = {"lean": dict(ngf=32, ndf=32, kernel=4), "book": dict(ngf=64, ndf=64, kernel=5)}
# MNIST-style digits learn faster at 5e-4 than at the book's 2e-4: the shipped digit classifier first calls half the
# fixed-z grid digits at step ~1,300 instead of ~4,000 (`ganstudio bench train`, mnist_seconds_to_digits).
DATA_DEFAULTS = {"idx": dict(lr_g=5e-4, lr_d=5e-4)}
_SHARED = dict(family=GAN, defaults=_DEFAULTS, presets=PRESETS, data_defaults=DATA_DEFAULTS, build=build, make_step=image_gan.make_step,
               check=image_gan.check_config, losses=image_gan.GAN_LOSSES)

register(Recipe(
    name="dcgan", title="DCGAN",
    description="Deep convolutional GAN (book ch. 3): transposed-conv generator, strided-conv discriminator, "
                "non-saturating loss, Adam 2e-4 β1 0.5.", **_SHARED))

register(Recipe(
    name="cdcgan", title="Conditional DCGAN", conditional=True,
    description="DCGAN conditioned on class labels (class subfolders or IDX labels): pick the class to generate.",
    **_SHARED))

"""pix2pix (SPEC §7.2): U-Net generator, PatchGAN on the (input, output) pair, cGAN loss + λ·L1 (λ = 100).

Also registers "unet-l1": the same U-Net trained on L1 alone, the baseline that shows what the adversarial term adds.
"""

from __future__ import annotations

from ganstudio.ml.training import gan_losses
from ganstudio.ml.training.config import TRANSLATION, TrainConfig
from ganstudio.ml.recipes import register, translation_common as common
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.training.update import update
from ganstudio.ml.networks.translation_inputs import condition_channels


def build(config: TrainConfig) -> dict:
    from ganstudio.ml.networks.patchgan import patch_discriminator
    from ganstudio.ml.networks.pix2pix import unet_generator

    models = {"generator": unet_generator(config.image_size, condition_channels(config), ngf=config.ngf,
                                          dropout=config.dropout)}
    if config.adv_weight > 0:
        models["discriminator"] = patch_discriminator(condition_channels(config), config.ndf, scales=config.d_scales)
    return models


def make_step(models: dict, optimizers: dict, rng, config: TrainConfig, replicas: int):
    """D then G on the same batch (the TF pix2pix tutorial; the book's fresh batch for G only adds noise)."""
    t = tf()
    G, D = models["generator"], models.get("discriminator")
    opt_g, opt_d = optimizers["generator"], optimizers.get("discriminator")
    loss = gan_losses.get(config.loss or "ns")

    def scores(condition, image):
        """The PatchGAN's score maps, one per scale."""
        out = D([condition, image], training=True)
        return list(out) if isinstance(out, (list, tuple)) else [out]

    def d_loss(condition, target):
        fake = G(condition, training=True)
        d_real, d_fake, _ = gan_losses.adversarial_terms(loss, scores(condition, target), scores(condition, fake))
        return 0.5 * (d_real + d_fake), {"d_real": d_real, "d_fake": d_fake}  # halved: Isola et al. slow D

    def g_loss(condition, target):
        fake = G(condition, training=True)
        l1 = t.reduce_mean(t.abs(target - fake))
        adv = t.zeros(())
        if D is not None:
            fake_scores = scores(condition, fake)
            real_scores = scores(condition, target) if loss.relativistic else fake_scores
            adv = gan_losses.adversarial_terms(loss, real_scores, fake_scores)[2]
        return config.adv_weight * adv + config.l1_weight * l1, {"g_adv": adv, "l1": l1}

    def step(batch, labels):  # noqa: ARG001 - paired batches carry no class labels
        condition, target = batch
        out = {}
        if D is not None:
            d_total, parts, norm = update(D, opt_d, lambda: d_loss(condition, target), replicas)
            out.update(d_loss=d_total, **parts, grad_norm_d=norm)
        g_total, parts, norm = update(G, opt_g, lambda: g_loss(condition, target), replicas)
        return {**out, "g_loss": g_total, **parts, "grad_norm_g": norm}

    return step


_DEFAULTS = dict(image_size=128, ngf=32, ndf=32, batch_size=16, lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999,
                 l1_weight=100.0, adv_weight=1.0, d_scales=1, dropout=0.5, preview_every=200, checkpoint_every=1000,
                 flip_augment=True)
_SHARED = dict(family=TRANSLATION, losses=gan_losses.PAIR_LOSSES, build=build, make_step=make_step, paired=True,
               model_kind="translator", **common.TRANSLATION_HOOKS)

register(Recipe(
    name="pix2pix", title="pix2pix",
    description="Image-to-image translation (book ch. 6): U-Net generator with skips and dropout, 70×70 PatchGAN on "
                "the (input, output) pair, GAN loss + 100·L1, Adam 2e-4 β1 0.5. Paired data: A|B folders.",
    defaults=_DEFAULTS, **_SHARED))

register(Recipe(
    name="unet-l1", title="U-Net, L1 only (baseline)",
    description="The pix2pix U-Net trained on L1 alone, without a discriminator: the baseline that shows what the "
                "adversarial loss adds (sharper, less blurry outputs).",
    defaults={**_DEFAULTS, "adv_weight": 0.0, "l1_weight": 1.0}, **{**_SHARED, "losses": ("ns",)}))

"""pix2pix (SPEC §7.2): U-Net generator, PatchGAN on the (input, output) pair, cGAN loss + λ·L1 (λ = 100).

Also registers "unet-l1": the same U-Net trained on L1 alone, the baseline that shows what the adversarial term adds.
"""

from __future__ import annotations

from ganstudio.ml import losses
from ganstudio.ml.config import TrainConfig
from ganstudio.ml.recipes import register, translation_common as common
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.translation_inputs import condition_channels


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

    def step(batch, labels):  # noqa: ARG001 - paired batches carry no class labels
        condition, target = batch
        out = {}
        if D is not None:
            with t.GradientTape() as tape:
                fake = G(condition, training=True)
                d_real, d_fake = losses.ns_discriminator(D([condition, target], training=True),
                                                         D([condition, fake], training=True))
                d_loss = 0.5 * (d_real + d_fake)  # halved, as Isola et al. slow D relative to G
                d_scaled = d_loss / replicas
            d_grads = tape.gradient(d_scaled, D.trainable_variables)
            opt_d.apply_gradients(zip(d_grads, D.trainable_variables))
            out.update(d_loss=d_loss, d_real=d_real, d_fake=d_fake, grad_norm_d=t.linalg.global_norm(d_grads) * replicas)
        with t.GradientTape() as tape:
            fake = G(condition, training=True)
            l1 = t.reduce_mean(t.abs(target - fake))
            adv = losses.ns_generator(D([condition, fake], training=True)) if D is not None else t.zeros(())
            g_loss = config.adv_weight * adv + config.l1_weight * l1
            g_scaled = g_loss / replicas
        g_grads = tape.gradient(g_scaled, G.trainable_variables)
        opt_g.apply_gradients(zip(g_grads, G.trainable_variables))
        out.update(g_loss=g_loss, g_adv=adv, l1=l1, grad_norm_g=t.linalg.global_norm(g_grads) * replicas)
        return out

    return step


_DEFAULTS = dict(image_size=128, ngf=32, ndf=32, batch_size=16, lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999,
                 l1_weight=100.0, adv_weight=1.0, d_scales=1, dropout=0.5, preview_every=200, checkpoint_every=1000,
                 flip_augment=True)
_SHARED = dict(conditional=False, build=build, make_step=make_step, paired=True, model_kind="translator",
               decode_batch=common.decode_batch, init_fixed=common.init_fixed, make_preview=common.make_preview,
               preview_title=common.PREVIEW_TITLE)

register(Recipe(
    name="pix2pix", title="pix2pix",
    description="Image-to-image translation (book ch. 6): U-Net generator with skips and dropout, 70×70 PatchGAN on "
                "the (input, output) pair, GAN loss + 100·L1, Adam 2e-4 β1 0.5. Paired data: A|B folders.",
    defaults=_DEFAULTS, loss_names=("d_loss", "d_real", "d_fake", "g_loss", "g_adv", "l1"), **_SHARED))

register(Recipe(
    name="unet-l1", title="U-Net, L1 only (baseline)",
    description="The pix2pix U-Net trained on L1 alone, without a discriminator: the baseline that shows what the "
                "adversarial loss adds (sharper, less blurry outputs).",
    defaults={**_DEFAULTS, "adv_weight": 0.0, "l1_weight": 1.0}, loss_names=("g_loss", "l1"), **_SHARED))

"""pix2pixHD-lite (SPEC §7.3): global generator on one-hot label maps, multi-scale PatchGANs with LSGAN loss,
discriminator feature matching (weight 10), plus an L1 term standing in for the paper's VGG loss (no ImageNet
weights offline). One Adam over all scales equals the book's one Adam per scale: each scale's weights only get
gradients from its own loss, and Adam is per-parameter.
"""

from __future__ import annotations

from ganstudio.ml.training import gan_losses
from ganstudio.ml.training.config import TRANSLATION, TrainConfig
from ganstudio.ml.recipes import register, translation_common as common
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.networks.translation_inputs import condition_channels
from ganstudio.ml.training.update import update

N_LAYERS = 3  # stride-2 convs per PatchGAN: score maps at H/8, H/16, H/32


def build(config: TrainConfig) -> dict:
    from ganstudio.ml.networks.patchgan import patch_discriminator
    from ganstudio.ml.networks.pix2pixhd import global_generator

    channels = condition_channels(config)
    return {
        "generator": global_generator(channels, config.ngf, n_blocks=config.n_blocks, dropout=config.dropout),
        "discriminator": patch_discriminator(channels, config.ndf, N_LAYERS, config.d_scales, with_features=True),
    }


def split_scales(outputs: list, scales: int) -> list[tuple[list, object]]:
    """The discriminator's flat output list → per scale (features, score)."""
    per = len(outputs) // scales
    return [(outputs[k * per: (k + 1) * per - 1], outputs[(k + 1) * per - 1]) for k in range(scales)]


def feature_matching(real_scales, fake_scales):
    """Σ_scales Σ_layers mean|D_k^i(real) − D_k^i(fake)|, averaged over scales (pix2pixHD's 1/num_D weighting)."""
    t = tf()
    total = 0.0
    for (real_feats, _), (fake_feats, _) in zip(real_scales, fake_scales):
        for real, fake in zip(real_feats, fake_feats):
            total += t.reduce_mean(t.abs(t.stop_gradient(real) - fake))
    return total / len(real_scales)


def make_step(models: dict, optimizers: dict, rng, config: TrainConfig, replicas: int):
    t = tf()
    G, D = models["generator"], models["discriminator"]
    opt_g, opt_d = optimizers["generator"], optimizers["discriminator"]
    loss = gan_losses.get(config.loss or "lsgan")

    def outputs(condition, image):
        return split_scales(D([condition, image], training=True), config.d_scales)

    def d_loss(condition, target):
        real, fake = outputs(condition, target), outputs(condition, G(condition, training=True))
        d_real, d_fake, _ = gan_losses.adversarial_terms(loss, [s for _, s in real], [s for _, s in fake])
        return 0.5 * (d_real + d_fake), {"d_real": d_real, "d_fake": d_fake}

    def g_loss(condition, target):
        fake_image = G(condition, training=True)
        real, fake = outputs(condition, target), outputs(condition, fake_image)
        adv = gan_losses.adversarial_terms(loss, [s for _, s in real], [s for _, s in fake])[2]
        fm = feature_matching(real, fake)
        l1 = t.reduce_mean(t.abs(target - fake_image))
        total = config.adv_weight * adv + config.fm_weight * fm + config.l1_weight * l1
        return total, {"g_adv": adv, "fm": fm, "l1": l1}

    def step(batch, labels):  # noqa: ARG001 - paired batches carry no class labels
        condition, target = batch
        d_total, d_parts, d_norm = update(D, opt_d, lambda: d_loss(condition, target), replicas)
        g_total, g_parts, g_norm = update(G, opt_g, lambda: g_loss(condition, target), replicas)
        return {"d_loss": d_total, **d_parts, "g_loss": g_total, **g_parts, "grad_norm_d": d_norm,
                "grad_norm_g": g_norm}

    return step


register(Recipe(
    name="pix2pixhd", title="pix2pixHD-lite",
    description="Label map → photo (book ch. 6): global generator with reflection padding and residual blocks, "
                "multi-scale PatchGANs (LSGAN), feature matching ×10, L1 ×10. Paired data: train_label/ + train_img/.",
    family=TRANSLATION, losses=("lsgan", *(name for name in gan_losses.PAIR_LOSSES if name != "lsgan")),
    build=build, make_step=make_step, paired=True, model_kind="translator", **common.TRANSLATION_HOOKS,
    defaults=dict(image_size=128, ngf=16, ndf=32, batch_size=8, lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999,
                  d_scales=3, n_blocks=4, dropout=0.2, fm_weight=10.0, l1_weight=10.0, adv_weight=1.0,
                  preview_every=200, checkpoint_every=1000, flip_augment=True),
))

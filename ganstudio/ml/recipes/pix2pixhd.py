"""pix2pixHD-lite (SPEC §7.3): global generator on one-hot label maps, multi-scale PatchGANs with LSGAN loss,
discriminator feature matching (weight 10), plus an L1 term standing in for the paper's VGG loss (no ImageNet
weights offline). One Adam over all scales equals the book's one Adam per scale: each scale's weights only get
gradients from its own loss, and Adam is per-parameter.
"""

from __future__ import annotations

from ganstudio.ml.config import TrainConfig
from ganstudio.ml.recipes import register, translation_common as common
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.translation_inputs import condition_channels

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


def _mse(x, target: float):
    t = tf()
    return t.reduce_mean(t.square(x - target))


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
    scales = config.d_scales

    def step(batch, labels):  # noqa: ARG001 - paired batches carry no class labels
        condition, target = batch
        with t.GradientTape() as tape:
            fake = G(condition, training=True)
            real_out = split_scales(D([condition, target], training=True), scales)
            fake_out = split_scales(D([condition, fake], training=True), scales)
            d_real = sum(_mse(score, 1.0) for _, score in real_out)
            d_fake = sum(_mse(score, 0.0) for _, score in fake_out)
            d_loss = 0.5 * (d_real + d_fake)
            d_scaled = d_loss / replicas
        d_grads = tape.gradient(d_scaled, D.trainable_variables)
        opt_d.apply_gradients(zip(d_grads, D.trainable_variables))
        with t.GradientTape() as tape:
            fake = G(condition, training=True)
            real_out = split_scales(D([condition, target], training=True), scales)
            fake_out = split_scales(D([condition, fake], training=True), scales)
            adv = sum(_mse(score, 1.0) for _, score in fake_out)
            fm = feature_matching(real_out, fake_out)
            l1 = t.reduce_mean(t.abs(target - fake))
            g_loss = config.adv_weight * adv + config.fm_weight * fm + config.l1_weight * l1
            g_scaled = g_loss / replicas
        g_grads = tape.gradient(g_scaled, G.trainable_variables)
        opt_g.apply_gradients(zip(g_grads, G.trainable_variables))
        return {"d_loss": d_loss, "d_real": d_real, "d_fake": d_fake, "g_loss": g_loss, "g_adv": adv, "fm": fm,
                "l1": l1, "grad_norm_d": t.linalg.global_norm(d_grads) * replicas,
                "grad_norm_g": t.linalg.global_norm(g_grads) * replicas}

    return step


register(Recipe(
    name="pix2pixhd", title="pix2pixHD-lite",
    description="Label map → photo (book ch. 6): global generator with reflection padding and residual blocks, "
                "multi-scale PatchGANs (LSGAN), feature matching ×10, L1 ×10. Paired data: train_label/ + train_img/.",
    conditional=False, build=build, make_step=make_step, paired=True, model_kind="translator",
    decode_batch=common.decode_batch, init_fixed=common.init_fixed, make_preview=common.make_preview,
    preview_title=common.PREVIEW_TITLE,
    defaults=dict(image_size=128, ngf=16, ndf=32, batch_size=8, lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999,
                  d_scales=3, n_blocks=4, dropout=0.2, fm_weight=10.0, l1_weight=10.0, adv_weight=1.0,
                  preview_every=200, checkpoint_every=1000, flip_augment=True),
    loss_names=("d_loss", "d_real", "d_fake", "g_loss", "g_adv", "fm", "l1"),
))

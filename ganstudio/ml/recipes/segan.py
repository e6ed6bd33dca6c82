"""SEGAN (SPEC §11): speech enhancement GAN. LSGAN on the (noisy, clean|enhanced) pair + 100·L1, RMSprop 5e-5.

Batches are float32 (B, window, 2) [clean, noisy] from core/speech/data.py; z ~ N(0, 1) at the bottleneck each step.
"""

from __future__ import annotations

import numpy as np

from ganstudio.ml.training import gan_losses
from ganstudio.ml.training.config import SPEECH, TrainConfig
from ganstudio.ml.recipes import register
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.training.update import update

PREVIEW_CLIPS = 4
STOI_MIN_WINDOW = 8192  # ≥ one STOI segment (30 hops of 200 samples + a 400-sample frame), a multiple of both strides


def build(config: TrainConfig) -> dict:
    from ganstudio.ml.networks.segan import segan_discriminator, segan_generator, total_stride

    if config.window % total_stride(config.variant):
        raise ValueError(f"window {config.window} must be a multiple of {total_stride(config.variant)} for the "
                         f"{config.variant} variant")
    if config.stoi_weight and config.window < STOI_MIN_WINDOW:
        raise ValueError(f"the STOI loss needs windows of at least {STOI_MIN_WINDOW} samples (one 375 ms segment); "
                         f"this run's are {config.window}")
    return {"generator": segan_generator(config.variant, config.ngf, residual=config.residual),
            "discriminator": segan_discriminator(config.window, config.variant, config.ndf)}


def preemphasis(x, coefficient: float):
    """y[n] = x[n] − a·x[n−1] along time (axis 1); the identity when a = 0."""
    if not coefficient:
        return x
    t = tf()
    return t.concat([x[:, :1], x[:, 1:] - coefficient * x[:, :-1]], axis=1)


def decode_batch(batch, config: TrainConfig):
    """[clean, noisy] channels → (noisy, clean), each (B, window, 1), pre-emphasised when the config asks."""
    return preemphasis(batch[..., 1:2], config.preemphasis), preemphasis(batch[..., 0:1], config.preemphasis)


def make_step(models: dict, optimizers: dict, rng, config: TrainConfig, replicas: int):
    """D then G on the same batch, each with a fresh z (the book steps G on the next batch; that only adds noise)."""
    from ganstudio.ml.networks.segan import generator_stride
    from ganstudio.ml.training.speech_losses import multi_resolution_stft, stoi_loss

    t = tf()
    loss = gan_losses.get(config.loss or "lsgan")
    G, D = models["generator"], models["discriminator"]
    opt_g, opt_d = optimizers["generator"], optimizers["discriminator"]
    stride = generator_stride(G)

    def z_like(noisy):
        return rng.normal((t.shape(noisy)[0], t.shape(noisy)[1] // stride, G.inputs[1].shape[-1]))

    def reconstruction(fake, clean):
        """(λ·L1 + μ·multi-resolution STFT + ν·(1 − STOI), {"l1", "stft", "stoi_loss"}) of the enhanced windows
        against the clean ones; a term whose weight is 0 is not computed and logs 0."""
        parts = {"l1": t.reduce_mean(t.abs(fake - clean)),
                 "stft": multi_resolution_stft(fake[..., 0], clean[..., 0]) if config.stft_weight else t.zeros(()),
                 "stoi_loss": stoi_loss(fake[..., 0], clean[..., 0]) if config.stoi_weight else t.zeros(())}
        weights = {"l1": config.l1_weight, "stft": config.stft_weight, "stoi_loss": config.stoi_weight}
        return sum(weights[name] * value for name, value in parts.items()), parts

    def g_loss(noisy, clean):
        fake = G([noisy, z_like(noisy)], training=True)
        rec, parts = reconstruction(fake, clean)
        if not config.adv_weight:
            return rec, {"g_adv": t.zeros(()), **parts}
        fake_scores = D([noisy, fake], training=True)
        real_scores = D([noisy, clean], training=True) if loss.relativistic else fake_scores
        g_adv = loss.terms(real_scores, fake_scores)[2]
        return config.adv_weight * g_adv + rec, {"g_adv": g_adv, **parts}

    def d_loss(noisy, clean):
        fake = G([noisy, z_like(noisy)], training=True)
        d_real, d_fake, _ = loss.terms(D([noisy, clean], training=True), D([noisy, fake], training=True))
        return d_real + d_fake, {"d_real": d_real, "d_fake": d_fake}

    def step(batch, labels):  # noqa: ARG001 - speech batches carry no class labels
        noisy, clean = batch
        zero = t.zeros(())
        out = dict(d_loss=zero, d_real=zero, d_fake=zero, grad_norm_d=zero)
        if config.adv_weight:  # 0: no adversary, the regression baseline, ~3× faster; D is left untouched
            d_total, parts, norm = update(D, opt_d, lambda: d_loss(noisy, clean), replicas)
            out.update(d_loss=d_total, **parts, grad_norm_d=norm)
        g_total, parts, norm = update(G, opt_g, lambda: g_loss(noisy, clean), replicas)
        return {**out, "g_loss": g_total, **parts, "grad_norm_g": norm}

    return step


def init_fixed(config: TrainConfig, data) -> dict[str, np.ndarray]:
    """Preview clips: the data set's validation pairs when it has them (never trained on), else fixed training crops."""
    clips = data.preview_pool()
    return {"clips": np.asarray(clips[:PREVIEW_CLIPS], np.float32)}


def no_reference(config: TrainConfig, data) -> None:  # noqa: ARG001 - each preview row ends in the clean clip
    return None


def make_preview(models: dict, config: TrainConfig):
    """fn(fixed) → (uint8 grid, clips): one row per clip, spectrograms noisy | enhanced | clean (z = 0, the prior's
    mean), and the same three as float32 audio (n, 3, samples), for the Train page's player and samples/*.wav."""
    from ganstudio.ml.networks.segan import enhance_windows

    G = models["generator"]

    def preview(fixed: dict) -> dict:
        from ganstudio.core.speech.preview import spectrogram_rows

        clips = fixed["clips"]
        enhanced = enhance_windows(G, clips[..., 1], config.preemphasis)
        audio = np.stack([clips[..., 1], np.clip(enhanced, -1.0, 1.0), clips[..., 0]], axis=1).astype(np.float32)
        return {"grid": spectrogram_rows(clips[..., 1], enhanced, clips[..., 0]), "clips": audio}

    return preview


def make_preview_metrics(models: dict, config: TrainConfig):
    """fn(fixed) → mean PESQ-wb and STOI of the enhanced preview clips against their clean halves (and the noisy
    input's own, for scale), so the Train page shows whether the model beats its input."""
    from ganstudio.ml.networks.segan import enhance_windows

    G = models["generator"]

    def metrics(fixed: dict) -> dict[str, float]:
        clips = fixed["clips"]
        enhanced = enhance_windows(G, clips[..., 1], config.preemphasis)
        out = {}
        for who, signals in (("noisy", clips[..., 1]), ("enhanced", enhanced)):
            out.update({f"val_{name}_{who}": value for name, value in _clip_scores(clips[..., 0], signals).items()})
        return out

    return metrics


def _clip_scores(clean: np.ndarray, estimates: np.ndarray) -> dict[str, float]:
    """Means over the clips each metric can score (a clip of mostly silence is too short for STOI)."""
    from ganstudio.core.errors import DataError
    from ganstudio.core.speech.metrics import pesq_wb, stoi_score

    scores: dict[str, list[float]] = {"pesq_wb": [], "stoi": []}
    for c, e in zip(clean, estimates):
        for name, fn in (("pesq_wb", pesq_wb), ("stoi", stoi_score)):
            try:
                scores[name].append(fn(c, e, 16000))
            except DataError:
                pass
    return {name: float(np.mean(v)) for name, v in scores.items() if v}


register(Recipe(
    name="segan", title="SEGAN (speech denoising)",
    description="Speech enhancement GAN (book ch. 10): 1-D conv encoder-decoder with learned skip scales and z at the "
                "bottleneck, LSGAN discriminator on (noisy, clean) pairs, + 100·L1, RMSprop. 16 kHz, 16,384-sample "
                "windows. Data: clean/ + noisy/ folders (VoiceBank-DEMAND) or clean speech + noise folders.",
    family=SPEECH, losses=("lsgan", *(name for name in gan_losses.PAIR_LOSSES if name != "lsgan")),
    build=build, make_step=make_step, model_kind="denoiser", decode_batch=decode_batch, init_fixed=init_fixed,
    make_preview=make_preview, preview_metrics=make_preview_metrics, reference_grid=no_reference, optimizer="rmsprop",
    data_kind="speech",
    preview_title="Validation clips: spectrograms of noisy | enhanced | clean",
    defaults=dict(ngf=16, ndf=16, batch_size=32, lr_g=5e-5, lr_d=5e-5, l1_weight=100.0, adv_weight=1.0,
                  window=16384, variant="book", residual=True, vary_noise=True, stft_weight=0.0, stoi_weight=0.0,
                  preemphasis=0.0, preview_every=250, checkpoint_every=1000, image_size=0, channels=1)))

"""SEGAN (SPEC §11): speech enhancement GAN. LSGAN on the (noisy, clean|enhanced) pair + 100·L1, RMSprop 5e-5.

Batches are float32 (B, window, 2) [clean, noisy] from core/speech_data.py; z ~ N(0, 1) at the bottleneck each step.
"""

from __future__ import annotations

import numpy as np

from ganstudio.ml.config import TrainConfig
from ganstudio.ml.recipes import register
from ganstudio.ml.recipes.base import Recipe
from ganstudio.ml.runtime import tf

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
    from ganstudio.ml.denoiser import generator_stride
    from ganstudio.ml.losses import multi_resolution_stft, stoi_loss

    t = tf()
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

    def l1_step(batch, labels):  # noqa: ARG001 - no adversary (adv_weight 0): the regression baseline, ~3× faster
        noisy, clean = batch
        with t.GradientTape() as tape:
            g_loss, parts = reconstruction(G([noisy, z_like(noisy)], training=True), clean)
            g_scaled = g_loss / replicas
        g_grads = tape.gradient(g_scaled, G.trainable_variables)
        opt_g.apply_gradients(zip(g_grads, G.trainable_variables))
        zero = t.zeros(())
        return dict(d_loss=zero, d_real=zero, d_fake=zero, g_loss=g_loss, g_adv=zero, **parts,
                    grad_norm_d=zero, grad_norm_g=t.linalg.global_norm(g_grads) * replicas)

    def step(batch, labels):  # noqa: ARG001 - speech batches carry no class labels
        noisy, clean = batch
        with t.GradientTape() as tape:
            fake = G([noisy, z_like(noisy)], training=True)
            d_real = t.reduce_mean(t.square(D([noisy, clean], training=True) - 1.0))
            d_fake = t.reduce_mean(t.square(D([noisy, fake], training=True)))
            d_loss = d_real + d_fake
            d_scaled = d_loss / replicas  # inside the tape: the division must be recorded
        d_grads = tape.gradient(d_scaled, D.trainable_variables)
        opt_d.apply_gradients(zip(d_grads, D.trainable_variables))
        with t.GradientTape() as tape:
            fake = G([noisy, z_like(noisy)], training=True)
            g_adv = t.reduce_mean(t.square(D([noisy, fake], training=True) - 1.0))
            g_rec, parts = reconstruction(fake, clean)
            g_loss = config.adv_weight * g_adv + g_rec
            g_scaled = g_loss / replicas
        g_grads = tape.gradient(g_scaled, G.trainable_variables)
        opt_g.apply_gradients(zip(g_grads, G.trainable_variables))
        return dict(d_loss=d_loss, d_real=d_real, d_fake=d_fake, g_loss=g_loss, g_adv=g_adv, **parts,
                    grad_norm_d=t.linalg.global_norm(d_grads) * replicas,
                    grad_norm_g=t.linalg.global_norm(g_grads) * replicas)

    return step if config.adv_weight else l1_step


def init_fixed(config: TrainConfig, data) -> dict[str, np.ndarray]:
    """Preview clips: the data set's validation pairs when it has them (never trained on), else fixed training crops."""
    clips = data.validation if data.validation is not None and len(data.validation) else data.batches.preview_batch()
    return {"clips": np.asarray(clips[:PREVIEW_CLIPS], np.float32)}


def make_preview(models: dict, config: TrainConfig):
    """fn(fixed) → (uint8 grid, clips): one row per clip, spectrograms noisy | enhanced | clean (z = 0, the prior's
    mean), and the same three as float32 audio (n, 3, samples), for the Train page's player and samples/*.wav."""
    from ganstudio.ml.denoiser import enhance_windows

    G = models["generator"]

    def preview(fixed: dict) -> np.ndarray:
        from ganstudio.core.speech_preview import spectrogram_rows

        clips = fixed["clips"]
        enhanced = enhance_windows(G, clips[..., 1], config.preemphasis)
        audio = np.stack([clips[..., 1], np.clip(enhanced, -1.0, 1.0), clips[..., 0]], axis=1).astype(np.float32)
        return spectrogram_rows(clips[..., 1], enhanced, clips[..., 0]), audio

    return preview


def make_preview_metrics(models: dict, config: TrainConfig):
    """fn(fixed) → mean PESQ-wb and STOI of the enhanced preview clips against their clean halves (and the noisy
    input's own, for scale), so the Train page shows whether the model beats its input."""
    from ganstudio.ml.denoiser import enhance_windows

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
    from ganstudio.core.speech_metrics import pesq_wb, stoi_score

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
    conditional=False, build=build, make_step=make_step, model_kind="denoiser", decode_batch=decode_batch,
    init_fixed=init_fixed, make_preview=make_preview, preview_metrics=make_preview_metrics, optimizer="rmsprop",
    data_kind="speech",
    preview_title="Validation clips: spectrograms of noisy | enhanced | clean",
    defaults=dict(ngf=16, ndf=16, batch_size=32, lr_g=5e-5, lr_d=5e-5, l1_weight=100.0, adv_weight=1.0,
                  window=16384, variant="book", residual=True, vary_noise=True, stft_weight=0.0, stoi_weight=0.0,
                  preemphasis=0.0, preview_every=250, checkpoint_every=1000,
                  xla=False,  # XLA on CPU runs the transposed 1-D convs ~4× slower than the default kernels
                  image_size=0, channels=1),
    loss_names=("d_loss", "d_real", "d_fake", "g_loss", "g_adv", "l1", "stft", "stoi_loss")))

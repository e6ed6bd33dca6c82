"""The adversarial losses of the book's chapter 5, one function each, in one registry (`--loss NAME`).

A loss maps the critic's logits on real and fake samples to the discriminator's terms and the generator's term.
Everything a loss needs besides that (n_critic, gradient penalty, weight clipping, its optimizer) is declared
beside it as defaults, which sit between a recipe's defaults and the user's choices. Adding a loss is one function
and one `register(...)` line here (README, "Adding a loss"). Importing this module never imports TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ganstudio.ml.runtime import tf


@dataclass(frozen=True)
class GanLoss:
    name: str  # the --loss name: a contract, scripts rely on it
    title: str
    help: str
    # terms(real_logits, fake_logits, smooth) -> (d_real, d_fake, g_adv): D minimises d_real + d_fake, G g_adv.
    # `smooth` is the one-sided label smoothing of the real target (0: none; only bounded losses use it).
    terms: Callable[..., tuple]
    bounded: bool = True  # the losses are probabilities-based (D loss → 0 means D wins); WGAN critics are not
    relativistic: bool = False  # the generator's term needs D on real samples too
    defaults: dict[str, Any] = field(default_factory=dict)  # e.g. n_critic, gp_weight, optimizer, learning rates


_REGISTRY: dict[str, GanLoss] = {}


def register(loss: GanLoss) -> GanLoss:
    _REGISTRY[loss.name] = loss
    return loss


def get(name: str) -> GanLoss:
    try:
        return _REGISTRY[name]
    except KeyError:
        from ganstudio.core.errors import StudioError

        raise StudioError(f"Unknown loss {name!r}.", f"Choose one of: {', '.join(_REGISTRY)}.") from None


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


# ---- building blocks --------------------------------------------------------------------------------------------
def _bce(logits, target):
    t = tf()
    return t.reduce_mean(t.nn.sigmoid_cross_entropy_with_logits(labels=t.fill(t.shape(logits), target), logits=logits))


def _mean(x):
    return tf().reduce_mean(x)


def _square(x, target: float):
    t = tf()
    return t.reduce_mean(t.square(x - target))


# ---- the losses ---------------------------------------------------------------------------------------------------
def non_saturating(real, fake, smooth=0.0):
    """−log D(x) − log(1 − D(G(z))) for D; −log D(G(z)) for G (the book's default, SPEC §6.4)."""
    return _bce(real, 1.0 - smooth), _bce(fake, 0.0), _bce(fake, 1.0)


def minimax(real, fake, smooth=0.0):
    """The original game: G minimises log(1 − D(G(z))), which saturates when D is confident (why NS exists)."""
    return _bce(real, 1.0 - smooth), _bce(fake, 0.0), -_bce(fake, 0.0)


def least_squares(real, fake, smooth=0.0):
    """LSGAN, the book's 0-1 choice (a=0, b=1, c=1): (D(x) − 1)² + D(G(z))²; G: (D(G(z)) − 1)². The book's ½ is a
    constant factor, left out so the term weighs beside L1 as SEGAN's and pix2pixHD's always have."""
    return _square(real, 1.0 - smooth), _square(fake, 0.0), _square(fake, 1.0)


def hinge(real, fake, smooth=0.0):  # noqa: ARG001 - a margin loss has no target to smooth
    """max(0, 1 − D(x)) + max(0, 1 + D(G(z))) for D; −D(G(z)) for G (SAGAN, BigGAN)."""
    t = tf()
    return _mean(t.nn.relu(1.0 - real)), _mean(t.nn.relu(1.0 + fake)), -_mean(fake)


def wasserstein(real, fake, smooth=0.0):  # noqa: ARG001
    """E D(G(z)) − E D(x) for the critic; −E D(G(z)) for G. WGAN keeps the critic Lipschitz by clipping its
    weights, WGAN-GP by a gradient penalty (both declared in the registry lines below)."""
    return -_mean(real), _mean(fake), -_mean(fake)


def relativistic_standard(real, fake, smooth=0.0):
    """RSGAN: D̃ = σ(C(x_r) − C(x_f)) pairwise; G swaps the roles."""
    return _bce(real - fake, 1.0 - smooth), tf().zeros(()), _bce(fake - real, 1.0)


def relativistic_average(real, fake, smooth=0.0):
    """RaSGAN: each sample is compared with the mean logit of the other kind (real over ℙ, fake over ℚ, SPEC #15)."""
    real_rel, fake_rel = real - _mean(fake), fake - _mean(real)
    return (_bce(real_rel, 1.0 - smooth), _bce(fake_rel, 0.0),
            0.5 * (_bce(fake_rel, 1.0) + _bce(real_rel, 0.0)))


def relativistic_average_ls(real, fake, smooth=0.0):
    """RaLSGAN: least squares on the relativistic-average logits, targets ±1."""
    real_rel, fake_rel = real - _mean(fake), fake - _mean(real)
    return (_square(real_rel, 1.0 - smooth), _square(fake_rel, -1.0),
            0.5 * (_square(fake_rel, 1.0) + _square(real_rel, -1.0)))


register(GanLoss("ns", "Non-saturating (standard GAN)", "−log D(G(z)) for G: the book's default", non_saturating))
register(GanLoss("minimax", "Minimax (original)", "G minimises log(1 − D(G(z))): saturates early; for teaching",
                 minimax))
register(GanLoss("lsgan", "Least squares (LSGAN)", "squared error to 0/1 targets: smoother gradients, no BN needed",
                 least_squares))
register(GanLoss("hinge", "Hinge", "margin loss of SAGAN/BigGAN: D stops pushing once a sample is clearly classified",
                 hinge, bounded=False))
register(GanLoss("wgan", "WGAN (weight clipping)", "Wasserstein critic, weights clipped to ±0.01, RMSprop 5e-5, "
                 "5 critic steps per G step", wasserstein, bounded=False,
                 defaults=dict(n_critic=5, clip_weights=0.01, optimizer="rmsprop", lr_g=5e-5, lr_d=5e-5)))
register(GanLoss("wgan-gp", "WGAN-GP (gradient penalty)", "Wasserstein critic with a gradient penalty λ 10, "
                 "5 critic steps, Adam 1e-4 β 0/0.9, critic without batch norm", wasserstein, bounded=False,
                 defaults=dict(n_critic=5, gp_weight=10.0, lr_g=1e-4, lr_d=1e-4, beta1=0.0, beta2=0.9,
                               d_norm="none")))
register(GanLoss("rsgan", "Relativistic (RSGAN)", "D judges whether a real sample is more real than a fake one",
                 relativistic_standard, relativistic=True))
register(GanLoss("rasgan", "Relativistic average (RaSGAN)", "each sample against the average of the other kind",
                 relativistic_average, relativistic=True))
register(GanLoss("ralsgan", "Relativistic average LS (RaLSGAN)", "least squares on relativistic-average logits",
                 relativistic_average_ls, relativistic=True))


# Losses that need nothing but the two logits: no critic schedule, penalty or clipping (translation and speech
# recipes take these; the z → image recipes take all).
PAIR_LOSSES = ("ns", "minimax", "lsgan", "hinge", "rsgan", "rasgan", "ralsgan")


def adversarial_terms(loss: GanLoss, real_scores, fake_scores, smooth: float = 0.0):
    """(d_real, d_fake, g_adv) summed over the scales of a multi-scale discriminator (lists of score maps)."""
    terms = [loss.terms(r, f, smooth) for r, f in zip(real_scores, fake_scores)]
    return tuple(sum(part) for part in zip(*terms))


def gradient_penalty(critic: Callable, real, fake, rng):
    """λ-free WGAN-GP penalty E(‖∇_x̂ C(x̂)‖₂ − 1)², x̂ = x + ε(x̃ − x), ε ~ U(0, 1) per sample (SPEC §6.4): the norm is
    per sample over all non-batch axes. Call it inside the caller's tape: the outer tape differentiates through it."""
    t = tf()
    shape = t.concat([t.shape(real)[:1], t.ones([t.rank(real) - 1], t.int32)], axis=0)
    eps = rng.uniform(shape, 0.0, 1.0)
    mixed = real + eps * (fake - real)
    with t.GradientTape() as inner:
        inner.watch(mixed)
        scores = critic(mixed)
    grads = inner.gradient(scores, mixed)
    norms = t.sqrt(t.reduce_sum(t.square(grads), axis=t.range(1, t.rank(grads))) + 1e-12)
    return t.reduce_mean(t.square(norms - 1.0))

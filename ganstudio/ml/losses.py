"""GAN losses on discriminator logits. Each returns a scalar batch mean."""

from __future__ import annotations

from ganstudio.ml.runtime import tf


def ns_discriminator(real_logits, fake_logits):
    """−½[log D(x) + log(1 − D(G(z)))], SPEC §4.4, from logits (stable)."""
    t = tf()
    bce = t.nn.sigmoid_cross_entropy_with_logits
    real = t.reduce_mean(bce(labels=t.ones_like(real_logits), logits=real_logits))
    fake = t.reduce_mean(bce(labels=t.zeros_like(fake_logits), logits=fake_logits))
    return real, fake


def ns_generator(fake_logits):
    """Non-saturating −log D(G(z))."""
    t = tf()
    return t.reduce_mean(t.nn.sigmoid_cross_entropy_with_logits(labels=t.ones_like(fake_logits), logits=fake_logits))


# (fft size, hop, window) at 16 kHz: ~15 ms to ~75 ms frames, as in Parallel WaveGAN / DEMUCS.
STFT_RESOLUTIONS = ((512, 50, 240), (1024, 120, 600), (2048, 240, 1200))


def multi_resolution_stft(estimate, target, resolutions=STFT_RESOLUTIONS):
    """Spectral convergence + log-magnitude L1, averaged over STFT resolutions, of (B, L) waveforms.

    A waveform L1 weighs every sample alike, so most of its gradient goes to loud low frequencies; PESQ and STOI
    listen to the spectrum. This loss (Yamamoto et al. 2020, used by DEMUCS for speech) compares magnitudes at several
    time/frequency trade-offs and is blind to phase, which the ear barely hears.
    """
    t = tf()
    total = 0.0
    for fft, hop, window in resolutions:
        def magnitude(x):
            spectrum = t.signal.stft(x, frame_length=window, frame_step=hop, fft_length=fft, pad_end=True)
            return t.sqrt(t.maximum(t.square(t.math.real(spectrum)) + t.square(t.math.imag(spectrum)), 1e-10))

        est, ref = magnitude(estimate), magnitude(target)
        convergence = t.norm(ref - est) / t.maximum(t.norm(ref), 1e-7)
        log_magnitude = t.reduce_mean(t.abs(t.math.log(ref) - t.math.log(est)))
        total += convergence + log_magnitude
    return total / len(resolutions)

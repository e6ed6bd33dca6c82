"""Reconstruction losses of speech enhancement beside the adversarial term (the adversarial losses themselves are
in gan_losses.py): a multi-resolution STFT loss and a differentiable STOI."""

from __future__ import annotations

from ganstudio.ml.runtime import tf

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


# STOI's analysis (Taal et al. 2011) at 16 kHz: 25 ms frames every 12.5 ms, 15 one-third octave bands from 150 Hz,
# 30-frame (375 ms) segments, estimate clipped at a −15 dB signal-to-distortion ratio.
STOI_FRAME, STOI_HOP, STOI_FFT, STOI_SEGMENT = 400, 200, 512, 30
STOI_CLIP = 1.0 + 10.0 ** (15.0 / 20.0)
STOI_DYNAMIC_RANGE_DB = 40.0


def stoi_loss(estimate, target, rate: int = 16000):
    """1 − a differentiable STOI of (B, L) waveforms: the mean correlation of clean and enhanced one-third-octave band
    envelopes over 375 ms segments, as in STOI, so training can aim at intelligibility directly (Fu et al. 2018 did
    this for waveform enhancement). STOI drops silent frames and joins the rest; a window cannot be cut that way, so
    segments whose clean energy is more than 40 dB below the window's loudest are left out of the mean instead.
    """
    t = tf()
    from pystoi.utils import thirdoct  # the band matrix from the library that scores us, not a copy of it

    bands = t.constant(thirdoct(rate, STOI_FFT, 15, 150)[0].T, t.float32)  # (bins, 15)

    def envelopes(x):
        spectrum = t.signal.stft(x, frame_length=STOI_FRAME, frame_step=STOI_HOP, fft_length=STOI_FFT,
                                 window_fn=t.signal.hann_window)
        power = t.square(t.math.real(spectrum)) + t.square(t.math.imag(spectrum))
        return t.sqrt(t.matmul(power, bands) + 1e-10)  # (B, frames, 15)

    clean, enhanced = envelopes(target), envelopes(estimate)
    # (B, segments, 30, 15): every run of 30 consecutive frames, as STOI slides its segments frame by frame
    x = t.signal.frame(clean, STOI_SEGMENT, 1, axis=1)
    y = t.signal.frame(enhanced, STOI_SEGMENT, 1, axis=1)
    scale = t.norm(x, axis=2, keepdims=True) / (t.norm(y, axis=2, keepdims=True) + 1e-8)
    y = t.minimum(y * scale, x * STOI_CLIP)
    x = x - t.reduce_mean(x, axis=2, keepdims=True)
    y = y - t.reduce_mean(y, axis=2, keepdims=True)
    correlation = t.reduce_sum(x * y, axis=2) / (t.norm(x, axis=2) * t.norm(y, axis=2) + 1e-8)  # (B, segments, 15)
    energy = t.reduce_sum(t.square(t.signal.frame(target, STOI_SEGMENT * STOI_HOP, STOI_HOP, axis=1)), axis=2)
    energy = energy[:, :t.shape(correlation)[1]]
    loudest = t.reduce_max(energy, axis=1, keepdims=True)
    voiced = t.stop_gradient(t.cast(energy > loudest * 10.0 ** (-STOI_DYNAMIC_RANGE_DB / 10.0), t.float32))
    weights = voiced[..., None] * t.ones_like(correlation)
    return 1.0 - t.reduce_sum(correlation * weights) / t.maximum(t.reduce_sum(weights), 1.0)

"""The classic baseline the SEGAN is compared against: an MMSE log-spectral-amplitude (Ephraim–Malah) gain with a
decision-directed a-priori SNR, the noise spectrum taken from the quietest frames, and a gain floor against musical
noise. Processed in chunks with a perfect-reconstruction Hann overlap-add, so an hour of audio fits in memory."""

from __future__ import annotations

import numpy as np

FRAME_SECONDS = 0.032  # 512 samples at 16 kHz: long enough to resolve voiced harmonics
NOISE_FRACTION = 0.15  # the quietest 15% of frames are taken as noise only (speech has pauses)
MAX_NOISE_FRAMES = 2048
SMOOTHING = 0.98  # decision-directed weight of the previous frame's clean estimate (Ephraim & Malah 1984)
MIN_PRIOR_SNR = 10 ** (-25 / 10)  # floor of the a-priori SNR: the main defence against musical noise
GAIN_FLOOR = 10 ** (-25 / 20)  # never remove more than 25 dB: a little residual noise masks the artefacts
_CHUNK_FRAMES = 2048
_HANN_OVERLAP_SUM = 1.5  # Σ w² of a periodic Hann window at a hop of a quarter window


def spectral_gate(noisy: np.ndarray, rate: int = 16000) -> np.ndarray:
    """Denoise `noisy` (mono, any length) and return float32 of the same length."""
    noisy = np.asarray(noisy, dtype=np.float64).reshape(-1)
    if len(noisy) == 0:
        return np.zeros(0, np.float32)
    n_fft = 2 ** int(round(np.log2(FRAME_SECONDS * rate)))
    hop = n_fft // 4
    lead = n_fft - hop  # so that every real sample is covered by exactly four frames
    total = -(-(lead + len(noisy) + n_fft) // hop) * hop
    padded = np.pad(noisy, (lead, total - lead - len(noisy)))
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop]
    window = np.hanning(n_fft + 1)[:-1]
    interior = np.arange(len(frames))
    interior = interior[(interior * hop >= lead) & (interior * hop + n_fft <= lead + len(noisy))]
    noise_psd = _noise_psd(frames, window, interior if len(interior) else np.arange(len(frames)))
    out = _overlap_add_gated(frames, window, noise_psd, total, hop)
    return out[lead:lead + len(noisy)].astype(np.float32)


def _power(frames: np.ndarray, window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    spectrum = np.fft.rfft(frames * window, axis=1)
    return spectrum, spectrum.real ** 2 + spectrum.imag ** 2


def _noise_psd(frames: np.ndarray, window: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Mean power spectrum of the quietest frames (digital silence excluded: it says nothing about the noise)."""
    energy = np.concatenate([np.sum((frames[candidates[i:i + _CHUNK_FRAMES]] * window) ** 2, axis=1)
                             for i in range(0, len(candidates), _CHUNK_FRAMES)])
    audible = energy > energy.max() * 1e-10
    if not audible.any():
        return np.full(frames.shape[1] // 2 + 1, 1e-12)
    candidates, energy = candidates[audible], energy[audible]
    quietest = candidates[np.argsort(energy, kind="stable")[:max(1, int(NOISE_FRACTION * len(energy)))]]
    quietest = np.sort(quietest)[::max(1, -(-len(quietest) // MAX_NOISE_FRAMES))]
    return np.maximum(_power(frames[quietest], window)[1].mean(axis=0), 1e-12)


def _overlap_add_gated(frames: np.ndarray, window: np.ndarray, noise_psd: np.ndarray, total: int,
                       hop: int) -> np.ndarray:
    """Gate every frame and overlap-add with the same Hann window (weighted OLA: exact when every gain is 1)."""
    n_fft = frames.shape[1]
    blocks = np.zeros((total // hop, hop))
    previous_clean = np.zeros_like(noise_psd)
    for start in range(0, len(frames), _CHUNK_FRAMES):
        spectrum, power = _power(frames[start:start + _CHUNK_FRAMES], window)
        gains, previous_clean = _lsa_gains(power, noise_psd, previous_clean)
        shaped = np.fft.irfft(spectrum * gains, n=n_fft, axis=1) * window
        quarters = shaped.reshape(len(shaped), n_fft // hop, hop)
        for q in range(n_fft // hop):
            blocks[start + q:start + q + len(shaped)] += quarters[:, q]
    return blocks.reshape(-1) / _HANN_OVERLAP_SUM


def _lsa_gains(power: np.ndarray, noise_psd: np.ndarray,
               previous_clean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame MMSE-LSA gains; the a-priori SNR blends the previous frame's clean power with this frame's excess."""
    from scipy.special import exp1

    gains = np.empty_like(power)
    for t, frame_power in enumerate(power):
        posterior = frame_power / noise_psd
        prior = SMOOTHING * previous_clean / noise_psd + (1 - SMOOTHING) * np.maximum(posterior - 1.0, 0.0)
        prior = np.maximum(prior, MIN_PRIOR_SNR)
        wiener = prior / (1.0 + prior)
        gain = wiener * np.exp(0.5 * exp1(np.maximum(wiener * posterior, 1e-10)))
        gains[t] = np.clip(gain, GAIN_FLOOR, 1.0)
        previous_clean = gains[t] ** 2 * frame_power
    return gains, previous_clean

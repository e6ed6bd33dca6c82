"""Speech-enhancement scores of an estimate against its clean reference: SNR, segmental SNR, wide-band PESQ, STOI."""

from __future__ import annotations

import warnings

import numpy as np

from ganstudio.core.errors import DataError

SSNR_FLOOR_DB, SSNR_CEIL_DB = -10.0, 35.0  # the usual clamp (Quackenbush et al. 1988; Loizou 2013)
SILENT_FRAME_DB = -40.0  # clean frames this far below the loudest frame are pauses, not speech
MAX_LENGTH_MISMATCH = 0.01
PESQ_RATE = 16000
_REFERENCE_HINT = "Load the clean recording that matches this clip (same take, same start)."


def align(clean: np.ndarray, estimate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Trim both to the shorter length; a difference of more than 1% means they are not the same take."""
    clean = np.asarray(clean, dtype=np.float64).reshape(-1)
    estimate = np.asarray(estimate, dtype=np.float64).reshape(-1)
    longer, shorter = max(len(clean), len(estimate)), min(len(clean), len(estimate))
    if shorter == 0:
        raise DataError("A clip to score is empty.", _REFERENCE_HINT)
    if longer - shorter > MAX_LENGTH_MISMATCH * longer:
        raise DataError(f"The clean reference ({len(clean)} samples) and the clip ({len(estimate)} samples) differ "
                        "in length by more than 1%.", _REFERENCE_HINT)
    return clean[:shorter], estimate[:shorter]


def _require_sound(clean: np.ndarray) -> None:
    if not np.any(clean):
        raise DataError("The clean reference is silent, so no score can be computed.", _REFERENCE_HINT)


def snr_db(clean: np.ndarray, estimate: np.ndarray) -> float:
    """10·log10(Σc² / Σ(c−e)²): how far the estimate is from the clean signal, over the whole clip."""
    clean, estimate = align(clean, estimate)
    _require_sound(clean)
    error = float(np.sum((clean - estimate) ** 2))
    return float("inf") if error == 0.0 else float(10.0 * np.log10(np.sum(clean ** 2) / error))


def segmental_snr_db(clean: np.ndarray, estimate: np.ndarray, rate: int, frame_ms: float = 20.0) -> float:
    """Mean per-frame SNR over the frames where the clean signal is speech, each clamped to [-10, 35] dB.

    This is the standard definition and fixes the book's SSNR (SPEC §16 #38): there the error term summed samples
    1…N of the whole clip instead of the frame's own samples, the padding added `len % seg` zeros instead of padding
    up to a multiple of the frame, the result was multiplied by 10 twice, the noise y was passed instead of c − e,
    the frame length was called seconds but used as samples, and there was neither a clamp nor silence skipping, so
    a single near-perfect or silent frame could dominate the mean.
    """
    clean, estimate = align(clean, estimate)
    _require_sound(clean)
    frame = max(1, round(rate * frame_ms / 1000.0))
    padded = -len(clean) % frame  # pad UP to a whole number of frames
    clean_frames = np.pad(clean, (0, padded)).reshape(-1, frame)
    error_frames = np.pad(clean - estimate, (0, padded)).reshape(-1, frame)
    clean_energy = np.sum(clean_frames ** 2, axis=1)
    error_energy = np.sum(error_frames ** 2, axis=1)
    speech = clean_energy > clean_energy.max() * 10 ** (SILENT_FRAME_DB / 10)
    ratio = clean_energy[speech] / np.maximum(error_energy[speech], clean_energy[speech] * 1e-12)
    return float(np.mean(np.clip(10.0 * np.log10(ratio), SSNR_FLOOR_DB, SSNR_CEIL_DB)))


def _at_pesq_rate(clean: np.ndarray, estimate: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    if rate == PESQ_RATE:
        return clean, estimate
    from ganstudio.core.speech.audio_files import resample

    return resample(clean, rate, PESQ_RATE), resample(estimate, rate, PESQ_RATE)


def pesq_wb(clean: np.ndarray, estimate: np.ndarray, rate: int = PESQ_RATE) -> float:
    """Wide-band PESQ (ITU-T P.862.2, MOS-LQO about 1.0–4.6) by the reference C code in the `pesq` package."""
    from pesq import PesqError, pesq

    clean, estimate = align(clean, estimate)
    _require_sound(clean)
    clean, estimate = _at_pesq_rate(clean, estimate, rate)
    try:
        return float(pesq(PESQ_RATE, clean, estimate, "wb"))
    except PesqError as err:  # NoUtterancesError, BufferTooShortError, ...
        raise DataError(f"PESQ cannot score this clip ({type(err).__name__}: {err}).",
                        "PESQ needs at least a quarter second of speech in the clean reference; "
                        "use a longer clip with someone talking.") from err


def stoi_score(clean: np.ndarray, estimate: np.ndarray, rate: int) -> float:
    """Short-time objective intelligibility (Taal et al. 2011, 0–1) by `pystoi`."""
    from pystoi import stoi

    clean, estimate = align(clean, estimate)
    _require_sound(clean)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        score = float(stoi(clean, estimate, rate, extended=False))
    if any("Not enough STFT frames" in str(w.message) for w in caught):
        raise DataError("STOI cannot score this clip: it holds less than half a second of speech.",
                        "Use a longer clip with someone talking.")
    return score


def speech_scores(clean: np.ndarray, estimate: np.ndarray, rate: int) -> dict[str, float]:
    """All four scores of `estimate` against `clean` (trimmed to the shorter; >1% length mismatch is an error)."""
    clean, estimate = align(clean, estimate)
    return {"snr_db": snr_db(clean, estimate), "ssnr_db": segmental_snr_db(clean, estimate, rate),
            "pesq_wb": pesq_wb(clean, estimate, rate), "stoi": stoi_score(clean, estimate, rate)}

"""The digit rate: the share of images the shipped digit classifier calls some digit with high confidence, i.e.
how many samples of a generator a reader would recognise as digits."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.ml.evaluation.classifier import DIGIT_CLASSIFIER, ClassifierSession


def digit_session(session_or_model: ClassifierSession | str | Path | None = None) -> ClassifierSession:
    """A loaded classifier session: the one given, a model folder or installed name, or (None) the shipped one."""
    if isinstance(session_or_model, ClassifierSession):
        return session_or_model
    return ClassifierSession.load(session_or_model or DIGIT_CLASSIFIER)


def digit_rate(session_or_model: ClassifierSession | str | Path | None, images_uint8: np.ndarray,
               confidence: float = 0.9) -> float:
    """Fraction of uint8 images (N, S, S, 1 or 3) given some digit with probability ≥ confidence. The shipped
    classifier was trained to answer noise, flat grey and blotches with a uniform guess, so this stays near 0 on
    them (0.0 for uniform noise, ~0.88 for real held-out MNIST digits at 0.9)."""
    if len(images_uint8) == 0:
        raise ValueError("digit_rate needs at least one image.")
    _, probs = digit_session(session_or_model).embed(images_uint8)
    return float(np.mean(probs.max(axis=1) >= confidence))

"""Held-out evaluation of a translator: L1 to the true photos, and a domain FID (flower-classifier features) of the
renders against those photos, beside the same FID for real training photos (the floor) and blurred photos."""

from __future__ import annotations

import numpy as np

from ganstudio.core.paired import PairedData
from ganstudio.ml.evaluation.classifier import ClassifierSession
from ganstudio.ml.evaluation.protocol import Line, Reference, blurred
from ganstudio.ml.inference.translator import TranslatorSession


def l1_error(renders: np.ndarray, targets: np.ndarray) -> float:
    """Mean absolute pixel error on a [0, 1] scale."""
    return float(np.mean(np.abs(renders.astype(np.float32) - targets.astype(np.float32))) / 255.0)


def evaluate_translator(session: TranslatorSession, heldout: PairedData, classifier: ClassifierSession,
                        train_targets: np.ndarray, seed: int = 0) -> list[Line]:
    renders = session.render_batch(heldout.inputs)
    reference = Reference.of(classifier, heldout.targets)
    pick = np.random.default_rng(seed).choice(len(train_targets), min(len(train_targets), len(heldout.targets)), replace=False)
    return [
        ("heldout_pairs", len(heldout.targets), "pairs"),
        ("l1", l1_error(renders, heldout.targets), "mean_abs_0_1"),
        ("fid", reference.fid(classifier.embed(renders)[0]), "fid"),
        ("fid_floor_real_train_photos", reference.fid(classifier.embed(train_targets[pick])[0]), "fid"),
        ("fid_blurred_heldout_photos", reference.fid(classifier.embed(blurred(heldout.targets))[0]), "fid"),
    ]

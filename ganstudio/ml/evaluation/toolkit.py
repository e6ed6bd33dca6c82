"""`ganstudio eval --metrics …`: the chapter 4/11 metrics of core/metrics on one generator's images, as `name value
unit` lines. Features and probabilities come from the domain classifier; the reference is the held-out photos
(never seen in training), except for memorisation, which asks about the training photos themselves."""

from __future__ import annotations

import numpy as np

from ganstudio.core.errors import StudioError
from ganstudio.core.metrics import birthday, inception_score, kid, memorisation, prdc, tequila
from ganstudio.core.metrics.checks import require_samples
from ganstudio.core.metrics.fid import fid_from_features
from ganstudio.ml.evaluation.classifier import ClassifierSession
from ganstudio.ml.evaluation.protocol import Line, mode_lines

METRICS = ("fid", "kid", "is", "prdc", "knn", "birthday", "tequila", "modes")


def parse_metrics(text: str) -> tuple[str, ...]:
    """`fid,kid,…` → the names in the order given, each once; an unknown name is refused with the list."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in METRICS]
    if unknown or not names:
        raise StudioError(f"Unknown metric(s) {', '.join(unknown) or '(none given)'}.",
                          f"Choose from: {','.join(METRICS)}.")
    return names


def _birthday_lines(gen_feats: np.ndarray, train_feats: np.ndarray) -> list[Line]:
    # two batches at least; the paper's 640 when there are enough samples. Duplicates are judged on the same scale
    # as copies of training photos: closer than half the typical gap between two training photos.
    size = min(birthday.BATCH, len(gen_feats) // birthday.MIN_BATCHES)
    result = birthday.birthday_test(gen_feats, memorisation.copy_threshold(train_feats), max(2, size), pairs=1)
    unit = {"estimate": "outputs", "lower": "outputs_at_least", "upper": "outputs_at_most"}[result.bound]
    return [("birthday_support", result.support, unit), ("birthday_collision_rate", result.collision_rate, "share"),
            ("birthday_batch", float(result.batch_size), "images")]


def toolkit_lines(metrics: tuple[str, ...], generated: np.ndarray, classifier: ClassifierSession,
                  train_images: np.ndarray, heldout_images: np.ndarray, seed: int = 0) -> list[Line]:
    """The lines of each requested metric for uint8 generated images, then the sample counts they rest on."""
    gen_feats, gen_probs = classifier.embed(generated)
    held_feats, held_probs = classifier.embed(heldout_images)
    train_feats = classifier.embed(train_images)[0] if {"knn", "birthday"} & set(metrics) else None
    lines: list[Line] = []
    for name in metrics:
        if name == "fid":
            require_samples("FID", min(len(gen_feats), len(held_feats)), 2, "a covariance needs two samples")
            lines.append(("fid", fid_from_features(gen_feats, held_feats), "fid"))
        elif name == "kid":
            mean, std = kid.kid(held_feats, gen_feats, seed=seed)
            lines += [("kid", mean, "mmd2"), ("kid_std", std, "mmd2")]
        elif name == "is":
            mean, std = inception_score.inception_score(gen_probs)
            lines += [("inception_score", mean, "score"), ("inception_score_std", std, "score")]
        elif name == "prdc":
            r = prdc.prdc(held_feats, gen_feats)
            lines += [("precision", r.precision, "share"), ("recall", r.recall, "share"),
                      ("density", r.density, "ratio"), ("coverage", r.coverage, "share")]
        elif name == "knn":
            check = memorisation.knn_copy_rate(gen_feats, train_feats)
            lines += [("knn_copy_rate", check.copy_rate, "share"), ("knn_copy_threshold", check.threshold, "distance")]
        elif name == "birthday":
            lines += _birthday_lines(gen_feats, train_feats)
        elif name == "tequila":
            real, fake = heldout_images / 255.0, generated / 255.0  # the chapter's statistics are on [0, 1] pixels
            d, p = tequila.ks_two_sample(real, fake)
            lines += [("ks_statistic", d, "ks"), ("ks_pvalue", p, "p"),
                      ("jsd", tequila.jsd(tequila.intensity_histogram(real), tequila.intensity_histogram(fake)), "nats")]
        elif name == "modes":
            lines += mode_lines(gen_probs, held_probs, classifier.class_names)
    return lines + [("samples_generated", float(len(generated)), "images"),
                    ("samples_heldout", float(len(heldout_images)), "images")]

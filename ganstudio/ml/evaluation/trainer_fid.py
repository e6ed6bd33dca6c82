"""FID during training: an `evaluator=` for the Trainer that scores the live generator at every checkpoint, so the
checkpoint store can keep the best one and `ganstudio export --checkpoint best` can pick it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.evaluation.classifier import ClassifierSession
from ganstudio.ml.evaluation.protocol import Reference, generated_samples
from ganstudio.ml.inference.generator import GeneratorSession

Evaluator = Callable[[object, TrainConfig], dict[str, float]]


def flower_fid_evaluator(classifier_dir: str | Path | None, heldout_images: np.ndarray, n: int = 1000,
                         seed: int = 1234) -> Evaluator:
    """callable(generator, config) → {"fid": FID of n samples vs the held-out photos}. The same z every call, so
    differences between checkpoints are the generator's, not sampling noise. The held-out stats are computed once."""
    classifier = ClassifierSession.load(classifier_dir)
    reference = Reference.of(classifier, heldout_images)
    sessions: dict[int, GeneratorSession] = {}

    def evaluate(generator, config: TrainConfig) -> dict[str, float]:
        if id(generator) not in sessions:  # trace the generator once, not at every checkpoint
            sessions[id(generator)] = GeneratorSession.from_model(generator, config)
        features, _ = classifier.embed(generated_samples(sessions[id(generator)], n, seed))
        return {"fid": reference.fid(features)}

    return evaluate

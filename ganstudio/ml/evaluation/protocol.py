"""The evaluation protocol behind `ganstudio eval`: FID of generated images against held-out real photos, put in
context by the same distance for real training photos (the floor) and for trivial baselines (blur, noise), plus
the classifier's class histogram over generated images (mode coverage)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.image_data.images import center_crop_resize, to_pil
from ganstudio.core.metrics.fid import feature_stats, frechet_distance
from ganstudio.core.metrics.modes import class_histogram, total_variation
from ganstudio.ml.evaluation.classifier import ClassifierSession
from ganstudio.ml.inference.generator import GeneratorSession

Line = tuple[str, float, str]  # (name, value, unit): the `name value unit` contract of eval/bench output


@dataclass(frozen=True)
class Reference:
    """Feature statistics of the held-out photos, computed once and reused for every FID against them."""

    mu: np.ndarray
    sigma: np.ndarray
    count: int

    @classmethod
    def of(cls, classifier: ClassifierSession, heldout_images: np.ndarray) -> Reference:
        features, _ = classifier.embed(heldout_images)
        return cls(*feature_stats(features), len(features))

    def fid(self, features: np.ndarray) -> float:
        return frechet_distance(*feature_stats(features), self.mu, self.sigma)


def generated_samples(session: GeneratorSession, n: int, seed: int, batch: int = 200) -> np.ndarray:
    """n uint8 images from the generator's training prior (labels cycle through the classes), made in batches: a
    64×64 generator on thousands of z at once would need gigabytes."""
    z = session.sample_z(n, seed)
    labels = np.arange(n, dtype=np.int32) % max(1, session.num_classes)
    return np.concatenate([session.generate(z[i:i + batch], labels[i:i + batch]) for i in range(0, n, batch)])


def blurred(images: np.ndarray, coarse: int = 8) -> np.ndarray:
    """A trivial baseline: real photos shrunk to coarse×coarse and blown up again (right colours, no detail)."""
    size = images.shape[1]
    out = [np.asarray(center_crop_resize(center_crop_resize(to_pil(im), coarse), size)) for im in images]
    return np.stack(out).reshape(images.shape)


def noise_like(images: np.ndarray, seed: int) -> np.ndarray:
    """The other trivial baseline: uniform random pixels."""
    return np.random.default_rng(seed).integers(0, 256, images.shape, dtype=np.uint8)


def mode_lines(generated_probs: np.ndarray, real_probs: np.ndarray, class_names: tuple[str, ...]) -> list[Line]:
    """Per-class share of generated images, and its total-variation distance to the real photos' histogram."""
    gen, real = class_histogram(generated_probs), class_histogram(real_probs)
    lines: list[Line] = [(f"mode_histogram_{name}", float(share), "share") for name, share in zip(class_names, gen)]
    lines.append(("mode_histogram_tv_vs_real", total_variation(gen, real), "distance"))
    return lines


def reference_lines(classifier: ClassifierSession, reference: Reference, train_images: np.ndarray,
                    seed: int) -> tuple[list[Line], np.ndarray]:
    """FID of real training photos (the floor), blurred and noise images vs held-out; also the real class probs."""
    real_feats, real_probs = classifier.embed(train_images)
    lines = [("fid_train_vs_heldout", reference.fid(real_feats), "fid"),
             ("fid_blur_vs_heldout", reference.fid(classifier.embed(blurred(train_images))[0]), "fid"),
             ("fid_noise_vs_heldout", reference.fid(classifier.embed(noise_like(train_images, seed))[0]), "fid")]
    return lines, real_probs


def evaluate(generated: np.ndarray, classifier: ClassifierSession, train_images: np.ndarray,
             heldout_images: np.ndarray, seed: int = 0) -> list[Line]:
    """All `ganstudio eval` lines for uint8 generated images. Real training photos are subsampled to the same count
    as the generated ones, because FID's bias depends on the sample size."""
    reference = Reference.of(classifier, heldout_images)
    rng = np.random.default_rng(seed)
    train_sample = train_images[rng.choice(len(train_images), min(len(generated), len(train_images)), replace=False)]
    gen_feats, gen_probs = classifier.embed(generated)
    refs, real_probs = reference_lines(classifier, reference, train_sample, seed)
    counts = [("samples_generated", float(len(generated)), "images"), ("samples_heldout", float(reference.count), "images")]
    return [("fid_vs_heldout", reference.fid(gen_feats), "fid"), *refs, *mode_lines(gen_probs, real_probs,
                                                                                    classifier.class_names), *counts]

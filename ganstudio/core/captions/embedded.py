"""Captioned photos as training data for text → image (the TrainingData protocol): each step's batch holds the
photos and, for each, the embedding of one of its captions, picked afresh per step as a pure function of
(seed, step), so resume stays exact."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from ganstudio.core.training.batches import BatchSchedule


@dataclass
class EmbeddedCaptions:
    images: np.ndarray  # uint8 (N, S, S, 3)
    embeddings: np.ndarray  # float32 (M, E): every caption's embedding, grouped by photo
    first: np.ndarray  # int64 (N,): index of each photo's first caption in `embeddings`
    count: np.ndarray  # int64 (N,): how many captions each photo has (≥ 1)
    labels: np.ndarray | None = None  # int32 (N,) class ids, or None
    class_names: tuple[str, ...] = ()
    names: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    validation: np.ndarray | None = None  # held-out photos, for the reference grid
    preview_texts: list[str] = field(default_factory=list)  # the live preview's prompts, one per column
    preview_embeddings: np.ndarray | None = None  # float32 (len(preview_texts), E)
    schedule: BatchSchedule | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if len(self.first) != len(self.images) or (self.count < 1).any():
            raise ValueError("every photo needs at least one caption embedding")

    @property
    def channels(self) -> int:
        return int(self.images.shape[-1])

    def __len__(self) -> int:
        return len(self.images)

    def with_batches(self, batch_size: int, seed: int, flip: bool = False) -> EmbeddedCaptions:
        return dataclasses.replace(self, schedule=BatchSchedule(len(self.images), batch_size, seed, flip), seed=seed)

    def batches(self, start: int, stop: int):
        """((uint8 photos (B, S, S, 3), float32 caption embeddings (B, E)), int32 labels) for steps start … stop−1.
        A mirrored photo keeps its caption: no caption says left or right."""
        if self.schedule is None:
            raise RuntimeError("with_batches() sets the batch order before training")
        zeros = np.zeros(self.schedule.batch_size, np.int32)
        for step in range(start, stop):
            idx, flips = self.schedule.indices(step)
            photos = self.images[idx]
            if flips.any():
                photos[flips] = photos[flips, :, ::-1]
            pick = np.random.default_rng([self.seed, 2, step]).integers(0, self.count[idx])
            text = self.embeddings[self.first[idx] + pick].astype(np.float32)
            yield (photos, text), (self.labels[idx].astype(np.int32) if self.labels is not None else zeros)

    def preview_pool(self) -> np.ndarray:
        return self.validation if self.validation is not None and len(self.validation) else self.images

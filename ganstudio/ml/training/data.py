"""tf.data input pipeline over any TrainingData (core/training/data.py): its batches, prefetched off the training
thread."""

from __future__ import annotations

from ganstudio.core.training.data import TrainingData
from ganstudio.ml.runtime import tf


def make_dataset(data: TrainingData, start: int, stop: int):
    """Batches for steps [start, stop); the signature is read from the first one (a batch may be an array or a
    tuple of arrays, e.g. photos and caption embeddings)."""
    t = tf()
    first, labels = next(iter(data.batches(start, start + 1)))
    spec = lambda a: t.TensorSpec(a.shape, t.as_dtype(a.dtype))  # noqa: E731
    signature = (t.nest.map_structure(spec, first), t.TensorSpec(labels.shape, t.int32))
    ds = t.data.Dataset.from_generator(lambda: data.batches(start, stop), output_signature=signature)
    return ds.prefetch(4)


def to_float_images(batch):
    """uint8 [0, 255] → float32 [−1, 1] inside the graph (SPEC §4.1: x/255·2 − 1)."""
    t = tf()
    return t.cast(batch, t.float32) / 127.5 - 1.0

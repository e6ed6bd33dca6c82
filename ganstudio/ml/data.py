"""tf.data input pipeline over an in-memory uint8 data set, following the deterministic BatchSchedule."""

from __future__ import annotations

import numpy as np

from ganstudio.core.batches import BatchSchedule
from ganstudio.ml.runtime import tf


def make_dataset(images: np.ndarray, labels: np.ndarray | None, schedule: BatchSchedule, start: int, stop: int):
    """Batches for steps [start, stop) as uint8 images + int32 labels, prefetched off the training thread."""
    t = tf()
    b, shape = schedule.batch_size, images.shape[1:]
    signature = (t.TensorSpec((b, *shape), t.uint8), t.TensorSpec((b,), t.int32))
    ds = t.data.Dataset.from_generator(lambda: schedule.batches(images, labels, start, stop), output_signature=signature)
    return ds.prefetch(2)


def make_generated_dataset(batches, batch_size: int, start: int, stop: int):
    """Batches for steps [start, stop) from an object whose batch(step) is a pure function of the step (speech)."""
    t = tf()
    sample = batches.batch(start)
    zeros = np.zeros(batch_size, np.int32)
    signature = (t.TensorSpec(sample.shape, t.as_dtype(sample.dtype)), t.TensorSpec((batch_size,), t.int32))
    ds = t.data.Dataset.from_generator(lambda: ((batches.batch(s), zeros) for s in range(start, stop)),
                                       output_signature=signature)
    return ds.prefetch(4)


def to_float_images(batch):
    """uint8 [0, 255] → float32 [−1, 1] inside the graph (SPEC §4.1: x/255·2 − 1)."""
    t = tf()
    return t.cast(batch, t.float32) / 127.5 - 1.0

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


def to_float_images(batch):
    """uint8 [0, 255] → float32 [−1, 1] inside the graph (SPEC §4.1: x/255·2 − 1)."""
    t = tf()
    return t.cast(batch, t.float32) / 127.5 - 1.0

"""Checkpoint retention: the last N complete checkpoints are kept, plus the one with the best (lowest) metric."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.core.training.history import LossHistory
from ganstudio.ml.training.checkpoints import CheckpointStore


class FakeTfCheckpoint:
    """Stands in for tf.train.Checkpoint: writes one file at the prefix, as TF writes its index/data files."""

    def write(self, prefix: str) -> str:
        Path(prefix + ".index").write_bytes(b"state")
        return prefix


def test_keeps_last_n_and_the_best(tmp_path):
    store = CheckpointStore(tmp_path, keep_last=2)
    metrics = {100: 9.0, 200: 3.0, 300: 7.0, 400: 8.0, 500: 6.5}
    for step, metric in metrics.items():
        store.save(step, FakeTfCheckpoint(), LossHistory(), {"z": np.zeros((2, 3), np.float32)}, metric)
    assert [c.step for c in store.list()] == [200, 400, 500]  # best (3.0) + the last two
    assert store.latest().step == 500


def test_without_metrics_only_the_last_n_survive(tmp_path):
    store = CheckpointStore(tmp_path, keep_last=3)
    for step in range(1, 7):
        store.save(step, FakeTfCheckpoint(), LossHistory(), {"z": np.zeros((1, 1), np.float32)})
    assert [c.step for c in store.list()] == [4, 5, 6]
    assert not list((tmp_path / "checkpoints").glob(".tmp-*"))  # pruning leaves no temp folders behind

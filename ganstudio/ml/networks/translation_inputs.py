"""How a paired item is stored and fed: uint8 [photo RGB | raw condition] in one array, decoded inside the graph.

Stacking both halves in one array lets the existing batch schedule, flips and checkpoints treat a pair as one image
(a flip flips both halves together). Shared by training and by `TranslatorSession`, so renders see the same encoding.
"""

from __future__ import annotations

from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.runtime import tf


def condition_channels(config: TrainConfig) -> int:
    """Channels of the network's condition input for this config."""
    if config.input_kind == "labels":
        return config.label_classes + (config.input_channels - 1)  # one-hot, plus the instance-edge channel if any
    return config.input_channels


def encode_condition(raw, config: TrainConfig):
    """uint8 (B, H, W, input_channels) → float32 network input: one-hot labels (+ edges in [0, 1]) or [−1, 1] pixels."""
    t = tf()
    if config.input_kind == "labels":
        parts = [t.one_hot(t.cast(raw[..., 0], t.int32), config.label_classes, dtype=t.float32)]
        if config.input_channels > 1:
            parts.append(t.cast(raw[..., 1:2], t.float32) / 255.0)
        return t.concat(parts, -1)
    return t.cast(raw, t.float32) / 127.5 - 1.0


def decode_pair(batch, config: TrainConfig):
    """The stacked uint8 batch → (condition for the networks, target photo in [−1, 1])."""
    t = tf()
    target = t.cast(batch[..., :3], t.float32) / 127.5 - 1.0
    return encode_condition(batch[..., 3:], config), target

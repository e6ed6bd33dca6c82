"""What pix2pix and pix2pixHD-lite share: batch decoding, fixed preview pairs, and the input | output | target grid."""

from __future__ import annotations

import numpy as np

from ganstudio.core.grid import tile, to_uint8
from ganstudio.core.sketch.palette import Palette, generic_palette
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.runtime import tf
from ganstudio.ml.networks.translation_inputs import decode_pair

PREVIEW_PAIRS = 8
PREVIEW_TITLE = "Validation pairs: input | output | target"


def decode_batch(batch, config: TrainConfig):
    return decode_pair(batch, config)


def init_fixed(config: TrainConfig, data) -> dict[str, np.ndarray]:
    """Preview pairs: held-out ones when the data set has them (what the model never saw), else training pairs."""
    pool = data.preview_pool()
    idx = np.random.default_rng([config.seed, 2]).choice(len(pool), min(PREVIEW_PAIRS, len(pool)), replace=False)
    return {"pairs": pool[np.sort(idx)]}


def condition_picture(raw: np.ndarray, config: TrainConfig) -> np.ndarray:
    """Raw condition channels (N, H, W, C) uint8 → something a person can look at: (N, H, W, 3) uint8."""
    if config.input_kind == "labels":
        palette = Palette.from_dict(config.palette) if config.palette else generic_palette(config.label_classes)
        return palette.colorize(raw[..., 0])
    return np.repeat(raw, 3, -1) if raw.shape[-1] == 1 else raw[..., :3]


def make_preview(models: dict, config: TrainConfig):
    """fn(fixed) → uint8 grid with one row per pair: input | output | target (dropout off: the deterministic render)."""
    t = tf()
    G = models["generator"]

    @t.function
    def render(pairs):
        condition, _ = decode_pair(pairs, config)
        return G(condition, training=False)

    def preview(fixed: dict) -> np.ndarray:
        pairs = fixed["pairs"]
        fake = to_uint8(render(pairs).numpy())
        rows = np.concatenate([condition_picture(pairs[..., 3:], config), fake, pairs[..., :3]], axis=2)
        return tile(rows, columns=2)

    return preview


def no_reference(config: TrainConfig, data) -> None:  # noqa: ARG001 - the preview rows already end in the target
    return None


# The Recipe hooks every translation recipe shares.
TRANSLATION_HOOKS = dict(decode_batch=decode_batch, init_fixed=init_fixed, make_preview=make_preview,
                         reference_grid=no_reference, preview_title=PREVIEW_TITLE)

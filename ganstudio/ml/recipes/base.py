"""What a recipe is: networks + losses + one train step (a D/G update cycle), described by TF-free metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ganstudio.ml.config import TrainConfig


@dataclass(frozen=True)
class Recipe:
    name: str
    title: str
    description: str
    conditional: bool
    defaults: dict[str, Any] = field(default_factory=dict)
    # build(config) -> dict of keras models with at least "generator" and "discriminator"
    build: Callable[[TrainConfig], dict] | None = None
    # make_step(models, optimizers, rng, config, replicas) -> step(images_float, labels) -> dict of scalar tensors
    make_step: Callable[..., Callable] | None = None
    loss_names: tuple[str, ...] = ()
    paired: bool = False  # trains on (condition, photo) pairs instead of photos alone
    model_kind: str = "generator"  # the manifest kind of the exported model ("translator" for paired recipes)
    # decode_batch(uint8 batch, config) -> what the step receives; None → images as float in [−1, 1]
    decode_batch: Callable | None = None
    # init_fixed(config, data) -> dict of numpy arrays kept across resumes (e.g. the preview pairs)
    init_fixed: Callable | None = None
    # make_preview(models, config) -> fn(fixed) -> uint8 grid, or (grid, clips) for audio (see PreviewReady.clips)
    make_preview: Callable | None = None
    # preview_metrics(models, config) -> fn(fixed) -> {name: value}, computed with each preview (e.g. PESQ of clips)
    preview_metrics: Callable | None = None
    optimizer: str = "adam"  # "adam" (β1, β2 from the config) | "rmsprop" (SEGAN)
    data_kind: str = "images"  # what prepare() loads: "images" | "speech" (paired images: `paired`)
    preview_title: str = "Generated (fixed z)"  # what the Train page calls the preview grid

    def config(self, **overrides) -> TrainConfig:
        """A config with this recipe's defaults, then the caller's overrides (None values are ignored)."""
        values = {**self.defaults, **{k: v for k, v in overrides.items() if v is not None}}
        return TrainConfig(recipe=self.name, **values)

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

    def config(self, **overrides) -> TrainConfig:
        """A config with this recipe's defaults, then the caller's overrides (None values are ignored)."""
        values = {**self.defaults, **{k: v for k, v in overrides.items() if v is not None}}
        return TrainConfig(recipe=self.name, **values)

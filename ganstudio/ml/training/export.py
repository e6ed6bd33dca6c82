"""Export a trained generator as a model folder (the format the Latent page and `ganstudio sample` load)."""

from __future__ import annotations

import json
from pathlib import Path

from ganstudio.core.manifest import Manifest
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.modelfile import save_model


def generator_manifest(config: TrainConfig, steps: int, metrics: dict | None = None, title: str = "") -> Manifest:
    from ganstudio.ml.recipes import get

    recipe = get(config.recipe)
    return Manifest(
        kind=recipe.model_kind, recipe=config.recipe, title=title or f"{recipe.title} on {config.dataset_name or 'custom data'}",
        config=json.loads(config.to_json()), dataset={"name": config.dataset_name, "path": config.dataset_path},
        metrics={"steps": steps, **(metrics or {})})


def export_generator(generator, config: TrainConfig, out_dir: Path, steps: int, metrics: dict | None = None,
                     title: str = "", float16: bool = False) -> Path:
    from ganstudio.ml.recipes import get

    return save_model(generator, generator_manifest(config, steps, metrics, title), out_dir, "generator.keras", float16,
                      get(config.recipe).bundle(config))

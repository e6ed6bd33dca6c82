"""The Latent page's model bar: generators (shipped, trained runs, recently opened folders) or any model folder;
a broken folder's ModelFileError text shows inline. Falls back to the shipped generator on a first visit."""

from __future__ import annotations

import json

from ganstudio.core.catalog import default_generator, installed_models
from ganstudio.ui.widgets.model_bar import ModelBar, ModelBarSpec

RECENT_LIMIT = 10
LATENT_MODELS = ModelBarSpec(
    kind="generator", settings_group="latent", label="Generator",
    placeholder="No generator found: open a model folder", open_text="Open…",
    open_tooltip="Open a model folder (generator.keras + manifest.json) or a training run folder",
    dialog_title="Open a model folder")


class LatentModelBar(ModelBar):
    spec = LATENT_MODELS

    def opened_folders(self) -> list[str]:
        """Up to RECENT_LIMIT folders opened before (outside the catalog), newest first."""
        try:
            recent = json.loads(str(self._settings.value(self._key("recent"), "[]")))
        except ValueError:
            return []
        return [str(p) for p in recent] if isinstance(recent, list) else []

    def fallback_model(self) -> str:
        """The shipped generator, else the first listed."""
        shipped = default_generator()
        return str(shipped.path) if shipped else super().fallback_model()

    def remember(self, path: str) -> None:
        """It becomes the one to reopen, and joins the recent list if not installed."""
        super().remember(path)
        if path not in {str(e.path) for e in installed_models("generator")}:
            recent = [path] + [p for p in self.opened_folders() if p != path]
            self._settings.setValue(self._key("recent"), json.dumps(recent[:RECENT_LIMIT]))

    def describe(self, info) -> str:
        """workers.generator_service.ModelInfo → title · recipe · size · z."""
        return (f"{info.title} · {info.recipe} · {info.image_size}×{info.image_size} · "
                f"z_dim {info.z_dim} ({info.prior} prior)")

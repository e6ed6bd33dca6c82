"""The Prompt page's model bar: text-to-image models (GAN-CLS; shipped, trained runs, or a folder opened before) or any
model folder; describes a loaded one by its image size, z and how many words it knows."""

from __future__ import annotations

from ganstudio.ui.widgets.model_bar import ModelBar, ModelBarSpec

PROMPT_MODELS = ModelBarSpec(
    kind="text-generator", settings_group="prompt", label="Model",
    placeholder="No text-to-image model found: train one (ganstudio train gan-cls --data flowers) or open a folder",
    open_text="Open model folder…",
    open_tooltip="A text-to-image model folder (manifest.json of kind \"text-generator\") or a GAN-CLS run folder",
    dialog_title="Open a text-to-image model folder")


class PromptModelBar(ModelBar):
    spec = PROMPT_MODELS

    def describe(self, info) -> str:
        """workers.prompt_service.PromptModelInfo → title · size · z · words known."""
        words = {w for phrases in info.vocabulary.values() for p in phrases for w in p.split()}
        return f"{info.title} · {info.image_size}×{info.image_size} · z_dim {info.z_dim} · knows {len(words)} words"

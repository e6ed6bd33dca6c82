"""The Denoise page's model bar: SEGAN denoisers (shipped, trained runs, or a folder opened before) or any model
folder; describes a loaded one by its frame length, the window it denoises in."""

from __future__ import annotations

from ganstudio.ui.widgets.model_bar import ModelBar, ModelBarSpec

DENOISE_MODELS = ModelBarSpec(
    kind="denoiser", settings_group="denoise", label="Denoiser",
    placeholder="No denoiser found: open a model folder", open_text="Open model folder…",
    open_tooltip="A denoiser model folder (manifest.json of kind \"denoiser\") or a training run folder",
    dialog_title="Open a denoiser model folder")


class DenoiseModelBar(ModelBar):
    spec = DENOISE_MODELS

    def describe(self, info) -> str:
        """workers.denoise_service.DenoiserInfo → title · window · rate."""
        return f"{info.title} · window {info.window} samples ({info.window / info.rate:.2f} s) · {info.rate} Hz"

"""The Sketch page's model bar: translators (shipped, trained runs, or a folder opened before) or any model folder;
describes a loaded one by what it translates and the size it renders at."""

from __future__ import annotations

from ganstudio.ui.widgets.model_bar import ModelBar, ModelBarSpec

KIND_NAMES = {"labels": "label map → photo", "edges": "edges → photo"}
SKETCH_MODELS = ModelBarSpec(
    kind="translator", settings_group="sketch", label="Model",
    placeholder="No sketch model found: open a model folder", open_text="Open model folder…",
    open_tooltip="A translator model folder (manifest.json of kind \"translator\") or a run folder",
    dialog_title="Open a sketch model folder")


class SketchModelBar(ModelBar):
    spec = SKETCH_MODELS

    def describe(self, info) -> str:
        """workers.sketch_service.SketchModelInfo → title · what it translates · render size."""
        return (f"{info.title} · {KIND_NAMES.get(info.input_kind, info.input_kind)} · "
                f"renders at {info.native_size}×{info.native_size}")

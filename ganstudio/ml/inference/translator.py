"""Translator inference (pix2pix, pix2pixHD-lite): load a model folder once, turn sketches into photos fast.

`render(sketch, seed)`: seed 0 is the deterministic render (dropout off); any other seed switches dropout on with
that seed, pix2pix's own noise source, for variations of the same sketch that are repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.errors import ModelFileError
from ganstudio.core.grid import to_uint8
from ganstudio.core.manifest import Manifest
from ganstudio.core.sketch.fit import resize_photo, resize_sketch, work_size
from ganstudio.core.sketch.palette import Palette, generic_palette
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.modelfile import load_model
from ganstudio.ml.runtime import tf
from ganstudio.ml.networks.translation_inputs import encode_condition

GRANULARITY = 32  # the least multiple a canvas side is rounded to; a deeper network needs more (see granularity)
MAX_SIDE_FACTOR = 4  # renders are capped at 4× the training size: beyond that the model sees a different scale


@dataclass
class TranslatorSession:
    model: object
    manifest: Manifest
    config: TrainConfig
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, model_dir: str | Path) -> TranslatorSession:
        model, manifest = load_model(Path(model_dir), kind="translator")
        session = cls(model, manifest, TrainConfig.from_dict(manifest.config))
        if session.input_kind not in ("edges", "labels", "image"):
            raise ModelFileError(f"{model_dir} does not say what it translates from.", "Re-export the model.")
        session._compile()
        return session

    @property
    def input_kind(self) -> str:
        return self.config.input_kind

    @property
    def native_size(self) -> int:
        return self.config.image_size

    @property
    def num_classes(self) -> int:
        return self.config.label_classes

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def palette(self) -> Palette | None:
        if self.input_kind != "labels":
            return None
        if self.config.palette:
            return Palette.from_dict(self.config.palette)
        self._note_once(f"The model names no classes; showing {self.config.label_classes} numbered colours.")
        return generic_palette(self.config.label_classes)

    def _compile(self) -> None:
        t = tf()
        G, config = self.model, self.config
        spec = t.TensorSpec((None, None, None, config.input_channels), t.uint8)
        self._dropouts = [layer for layer in G.layers if hasattr(layer, "seed_generator") and hasattr(layer, "rate")]
        self.granularity = max(GRANULARITY, downsampling_factor(G))

        @t.function(input_signature=[spec], reduce_retracing=True)
        def deterministic(raw):
            return G(encode_condition(raw, config), training=False)

        @t.function(input_signature=[spec], reduce_retracing=True)
        def varied(raw):
            return G(encode_condition(raw, config), training=True)  # instance norm: only dropout changes

        self._deterministic, self._varied = deterministic, varied

    def render(self, sketch: np.ndarray, seed: int = 0, max_side: int | None = None) -> np.ndarray:
        """(H, W) uint8 sketch (edges: 0 ink / 255 paper; labels: class ids) → (H, W, 3) uint8 photo.

        `max_side` renders a large canvas smaller and scales the photo up: the Sketch page's quick draft while painting.
        """
        sketch = self._check(np.asarray(sketch))
        limit = MAX_SIDE_FACTOR * self.native_size
        size = work_size(*sketch.shape[:2], self.granularity, min(limit, max_side) if max_side else limit)
        if size != sketch.shape[:2] and not max_side:
            self._note_once(f"A {sketch.shape[1]}×{sketch.shape[0]} canvas is rendered at {size[1]}×{size[0]} "
                            f"(this model needs sides that are multiples of {self.granularity}).")
        raw = resize_sketch(sketch, size, "labels" if self.input_kind == "labels" else "edges")
        raw = raw[None, ..., None] if raw.ndim == 2 else raw[None]
        out = to_uint8(self._run(raw, seed)[0])
        return resize_photo(out, sketch.shape[:2])

    def render_batch(self, raw: np.ndarray, seed: int = 0, batch: int = 32) -> np.ndarray:
        """Raw condition channels (N, H, W, input_channels) uint8, as the paired readers load them → (N, H, W, 3)."""
        return np.concatenate([to_uint8(self._run(raw[i:i + batch], seed)) for i in range(0, len(raw), batch)])

    def _run(self, raw: np.ndarray, seed: int) -> np.ndarray:
        if seed == 0 or not self._dropouts:
            return self._deterministic(raw).numpy()
        for i, layer in enumerate(self._dropouts):
            layer.seed_generator.state.assign(np.array([seed, i], np.int64))
        return self._varied(raw).numpy()

    def _check(self, sketch: np.ndarray) -> np.ndarray:
        if sketch.ndim == 3 and sketch.shape[-1] == 1:
            sketch = sketch[..., 0]
        if sketch.ndim != 2 or sketch.dtype != np.uint8:
            raise ModelFileError(f"A sketch must be a (height, width) uint8 array, not {sketch.dtype} {sketch.shape}.",
                                 "Pass a label map of class ids or an edge sketch (0 = ink, 255 = paper).")
        if self.input_kind == "labels":
            unknown = [int(v) for v in np.unique(sketch) if v >= self.config.label_classes]
            if unknown:
                self._note_once(f"Class ids {unknown[:6]} are not in this model's palette; painted as background.")
                sketch = np.where(sketch >= self.config.label_classes, self.palette.background, sketch).astype(np.uint8)
        return sketch

    def _note_once(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def downsampling_factor(model) -> int:
    """How much the network shrinks its input: the product of its layers' strides (2**6 for a U-Net at 128 px).

    Sides must be multiples of it, or the U-Net's skips no longer line up with the upsampled maps (a crash).
    """
    factor = 1
    for layer in model.layers:
        factor *= int(getattr(layer, "strides", (1,))[0])
    return factor

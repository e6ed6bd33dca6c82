"""Text encoder inference: load a text-encoder model folder once, then prompts → unit 128-d vectors in a few ms, and
the words of a prompt the model never saw in training (the Prompt page names them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.catalog import find_model, installed_model
from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import Manifest
from ganstudio.core.text.tokenizers import Tokenizer, tokenizer_from_config
from ganstudio.ml.runtime import tf


def resolve_text_encoder(name_or_path: str | Path | None = None) -> Path:
    """None → the shipped flower text encoder; else a model folder or an installed text encoder's name."""
    from ganstudio.ml.text.model_folder import KIND, SHIPPED

    found = find_model(name_or_path, KIND) if name_or_path else installed_model(SHIPPED, KIND)
    if found is not None:
        return found
    raise ModelFileError(f"No text encoder called {name_or_path or SHIPPED!r}.",
                         "Train one: ganstudio train-text-encoder --out DIR, or reinstall ganstudio.")


@dataclass
class TextEncoderSession:
    text_model: object
    image_model: object
    tokenizer: Tokenizer
    manifest: Manifest

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> TextEncoderSession:
        from ganstudio.ml.text.model_folder import load_text_encoder
        from ganstudio.ml.text.networks import split_joint

        joint, manifest = load_text_encoder(resolve_text_encoder(model_dir))
        try:
            tokenizer = tokenizer_from_config(manifest.config)
        except (KeyError, ValueError, TypeError) as err:
            raise ModelFileError(f"The text encoder's manifest has no usable tokenizer ({err}).",
                                 "Re-export the model or reinstall ganstudio.") from err
        session = cls(*split_joint(joint), tokenizer, manifest)
        session._compile()
        return session

    @property
    def dim(self) -> int:
        return int(self.manifest.config["embedding_dim"])

    @property
    def image_size(self) -> int:
        return int(self.manifest.config["image_size"])

    def _compile(self) -> None:
        t = tf()
        text_model, image_model = self.text_model, self.image_model
        ids = t.TensorSpec((None, self.tokenizer.max_len), t.int32)
        images = t.TensorSpec((None, self.image_size, self.image_size, 3), t.float32)
        # Every prompt pads to max_len, so one trace serves all; reduce_retracing keeps it so for any batch size.
        self._encode = t.function(lambda x: text_model(x, training=False), input_signature=[ids], reduce_retracing=True)
        self._encode_images = t.function(lambda x: image_model(x, training=False), input_signature=[images],
                                         reduce_retracing=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        """float32 (n, dim) unit vectors; empty or unreadable text embeds as "nothing known" (one UNK)."""
        if isinstance(texts, str):
            texts = [texts]
        if not len(texts):
            return np.zeros((0, self.dim), np.float32)
        return self._encode(self.tokenizer.encode_batch(texts)).numpy().astype(np.float32)

    def unknown_words(self, text: str) -> list[str]:
        """Words of `text` that no training caption used ("peony" in "a red peony")."""
        return self.tokenizer.unknown_words(text)

    def encode_images(self, images: np.ndarray, batch: int = 250) -> np.ndarray:
        """float32 (N, dim) unit vectors of uint8 photos (N, S, S, 3) at the model's image size (generated ones too)."""
        x = np.asarray(images, np.float32)
        parts = [self._encode_images(x[i:i + batch]).numpy() for i in range(0, len(x), batch)]
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), np.float32)

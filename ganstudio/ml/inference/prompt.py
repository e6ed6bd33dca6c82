"""Text → image inference (GAN-CLS): load a text-generator model folder and the text encoder bundled inside it once,
then prompts → unit embeddings → uint8 flowers in a few ms. Also the embedding-space tools of the Prompt page:
interpolation between two prompts (GAN-INT trained the generator on such mixes) and arithmetic on prompts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.catalog import find_model, installed_model
from ganstudio.core.errors import ModelFileError, StudioError
from ganstudio.core.grid import to_uint8
from ganstudio.core.manifest import Manifest
from ganstudio.ml.inference.generator import sample_prior
from ganstudio.ml.inference.text_encoder import TextEncoderSession
from ganstudio.ml.modelfile import load_model
from ganstudio.ml.runtime import tf
from ganstudio.ml.training.config import TrainConfig

KIND = "text-generator"
SHIPPED = "text-flowers-gancls"
ENCODER_FOLDER = "text_encoder"  # ml/recipes/gancls.py bundles the encoder here when it exports
MAX_PROMPT_CHARS = 500  # longer text is cut (and the page says so): captions are a sentence or two


def resolve_prompt_model(name_or_path: str | Path | None = None) -> Path:
    """None → the shipped text-to-flower model; else a model folder, a run folder, or an installed model's name."""
    found = find_model(name_or_path, KIND) if name_or_path else installed_model(SHIPPED, KIND)
    if found is not None:
        return found
    raise ModelFileError(f"No text-to-image model called {name_or_path or SHIPPED!r}.",
                         "Train one: ganstudio train gan-cls --data FOLDER, or reinstall ganstudio.")


def clean_prompt(text: str) -> tuple[str, list[str]]:
    """(the text the model reads, notes on what was done to it): whitespace collapsed, cut at MAX_PROMPT_CHARS."""
    notes = []
    text = " ".join(str(text).split())
    if len(text) > MAX_PROMPT_CHARS:
        notes.append(f"Only the first {MAX_PROMPT_CHARS} characters of {len(text):,} were read.")
        text = text[:MAX_PROMPT_CHARS]
    if not text:
        notes.append("The prompt is empty: these flowers come from a prompt that says nothing.")
    return text, notes


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (the encoder's outputs are unit vectors; the generator was trained on those)."""
    vectors = np.asarray(vectors, np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-8)


@dataclass
class PromptSession:
    model: object
    manifest: Manifest
    config: TrainConfig
    encoder: TextEncoderSession

    @classmethod
    def load(cls, name_or_path: str | Path | None = None) -> PromptSession:
        folder = resolve_prompt_model(name_or_path)
        model, manifest = load_model(folder, kind=KIND)
        config = TrainConfig.from_dict(manifest.config)
        bundled = folder / ENCODER_FOLDER
        encoder = TextEncoderSession.load(bundled if bundled.is_dir() else config.text_encoder)
        if encoder.dim != config.text_dim:
            raise ModelFileError(f"The text encoder of {folder.name} makes {encoder.dim}-d embeddings; the generator "
                                 f"reads {config.text_dim}-d ones.", "Re-export the model from its run folder.")
        session = cls(model, manifest, config, encoder)
        session._compile()
        return session

    def _compile(self) -> None:
        t, G, z_dim = tf(), self.model, self.config.z_dim
        specs = [t.TensorSpec((None, self.z_dim), t.float32), t.TensorSpec((None, self.config.text_dim), t.float32)]

        @t.function(input_signature=specs)
        def generate(noise, text):
            return G([noise[:, :z_dim], text, noise[:, z_dim:]], training=False)

        self._generate = generate

    @property
    def z_dim(self) -> int:
        """Noise per image: z, then the conditioning augmentation's ε. Training always drew ε ~ N(0, I); at ε = 0,
        the centre of a 128-d Gaussian where no training draw lies, G paints a blurred average of the prompt's
        flowers, the same for every z. So ε is drawn, and kept with z: a grid keeps both while the text changes."""
        return self.config.z_dim + self.config.ca_dim

    @property
    def image_size(self) -> int:
        return self.config.image_size

    def sample_z(self, n: int, seed: int | None = None) -> np.ndarray:
        """(n, z_dim + ca_dim): z from the training prior, then ε ~ N(0, I) (see z_dim)."""
        eps = np.random.default_rng(None if seed is None else [seed, 1]).standard_normal((n, self.config.ca_dim))
        return np.concatenate([sample_prior(self.config, n, seed), eps.astype(np.float32)], axis=1)

    def embed(self, texts: list[str] | str) -> np.ndarray:
        """(n, text_dim) unit embeddings of the cleaned prompts."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        return self.encoder.encode([clean_prompt(t)[0] for t in texts])

    def generate(self, embeddings: np.ndarray, z: np.ndarray) -> np.ndarray:
        """uint8 (n, S, S, 3): row i of z under embedding i (one embedding broadcasts over all z)."""
        z = np.asarray(z, np.float32).reshape(-1, self.z_dim)
        text = np.broadcast_to(np.asarray(embeddings, np.float32).reshape(-1, self.config.text_dim),
                               (len(z), self.config.text_dim))
        return to_uint8(self._generate(z, np.ascontiguousarray(text)).numpy())

    def prompt(self, text: str, z: np.ndarray) -> np.ndarray:
        return self.generate(self.embed(text), z)

    def unknown_words(self, text: str) -> list[str]:
        return self.encoder.unknown_words(clean_prompt(text)[0])

    def vocabulary(self) -> dict[str, tuple[str, ...]]:
        """The words the model read in training, grouped as the flower captions group them (other words last)."""
        from ganstudio.core.captions.templates import vocabulary

        known, groups = set(self.encoder.tokenizer.vocabulary), {}
        for group, phrases in vocabulary().items():
            kept = tuple(p for p in phrases if all(w in known for w in p.split()))
            if kept:
                groups[group] = kept
        grouped = {w for phrases in groups.values() for p in phrases for w in p.split()}
        rest = tuple(sorted(known - grouped))
        if rest:
            groups["other words"] = rest
        return groups

    def interpolate(self, a: str, b: str, frames: int, z: np.ndarray) -> np.ndarray:
        """uint8 (frames, n, S, S, 3): the z's under embeddings from a to b (linear, as GAN-INT trained them)."""
        if frames < 2:
            raise StudioError("An interpolation needs at least 2 frames.", "Ask for --frames 2 or more.")
        ea, eb = self.embed([a, b])
        return np.stack([self.generate((1 - w) * ea + w * eb, z) for w in np.linspace(0.0, 1.0, frames)])

    def arithmetic(self, terms: list[tuple[float, str]]) -> np.ndarray:
        """Σ sign·embed(text), rescaled to unit length: ("red rose" − "red" + "yellow") → a yellow rose's embedding."""
        if not terms:
            raise StudioError("Embedding arithmetic needs at least one prompt.", "Write, e.g., red rose - red + yellow.")
        signs = np.asarray([s for s, _ in terms], np.float32)[:, None]
        return unit((signs * self.embed([t for _, t in terms])).sum(axis=0, keepdims=True))


def parse_arithmetic(expression: str) -> list[tuple[float, str]]:
    """"red rose - red + yellow" → [(1, "red rose"), (-1, "red"), (1, "yellow")]; a lone prompt is one term."""
    import re

    terms, sign = [], 1.0
    for part in re.split(r"\s+([+−-])\s+", f" {expression.strip()} ".strip()):
        if part in ("+", "-", "−"):
            sign = 1.0 if part == "+" else -1.0
        elif part.strip():
            terms.append((sign, part.strip()))
    if not terms:
        raise StudioError("The expression has no prompt in it.", "Write, e.g., red rose - red + yellow.")
    return terms

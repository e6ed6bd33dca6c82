"""Generator inference: load a model folder once, then turn z (and labels) into uint8 images fast."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.catalog import default_generator, require_model
from ganstudio.core.errors import ModelFileError
from ganstudio.core.grid import to_uint8
from ganstudio.core.manifest import Manifest
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.modelfile import load_model
from ganstudio.ml.runtime import tf


def resolve_model(name_or_path: str | None) -> Path:
    """None → the shipped default generator; an installed model's name; or a model folder / run folder path."""
    if name_or_path is None:
        entry = default_generator()
        if entry is None:
            raise ModelFileError("No shipped generator is installed.", "Reinstall ganstudio, or pass a model folder.")
        return entry.path
    return require_model(name_or_path)


def sample_prior(config: TrainConfig, n: int, seed: int | None = None) -> np.ndarray:
    """n z's from the model's training prior (SPEC §16 #26: never mix priors)."""
    rng = np.random.default_rng(seed)
    if config.prior == "uniform":
        return rng.uniform(-1, 1, (n, config.z_dim)).astype(np.float32)
    return rng.standard_normal((n, config.z_dim)).astype(np.float32)


@dataclass
class GeneratorSession:
    model: object
    manifest: Manifest
    config: TrainConfig

    @classmethod
    def load(cls, model_dir: str | Path) -> GeneratorSession:
        model, manifest = load_model(Path(model_dir), kind="generator")
        session = cls(model, manifest, TrainConfig.from_dict(manifest.config))
        session._compile()
        return session

    @classmethod
    def from_model(cls, model, config: TrainConfig, manifest: Manifest | None = None) -> GeneratorSession:
        """A session over an in-memory generator (e.g. the one being trained, for FID at checkpoints)."""
        session = cls(model, manifest, config)
        session._compile()
        return session

    def _compile(self) -> None:
        t = tf()
        G, conditional = self.model, self.num_classes > 0
        spec_z = t.TensorSpec((None, self.z_dim), t.float32)
        spec_l = t.TensorSpec((None,), t.int32)

        @t.function(input_signature=[spec_z, spec_l])
        def generate(z, labels):
            return G([z, labels] if conditional else z, training=False)

        self._generate = generate

    @property
    def z_dim(self) -> int:
        return self.config.z_dim

    @property
    def num_classes(self) -> int:
        return self.config.num_classes

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.config.class_names

    @property
    def image_size(self) -> int:
        return self.config.image_size

    def sample_z(self, n: int, seed: int | None = None) -> np.ndarray:
        return sample_prior(self.config, n, seed)

    def generate(self, z: np.ndarray, labels: np.ndarray | int | None = None) -> np.ndarray:
        """uint8 images (N, S, S, C) for latent vectors z (N, z_dim); labels: per-row array, one int, or None."""
        z = np.asarray(z, dtype=np.float32).reshape(-1, self.z_dim)
        if labels is None:
            labels = np.zeros(len(z), dtype=np.int32)
        labels = np.broadcast_to(np.asarray(labels, dtype=np.int32), (len(z),))
        return to_uint8(self._generate(z, labels).numpy())

    def sample(self, n: int, seed: int | None = None, label: int | None = None) -> np.ndarray:
        labels = None if label is None else np.full(n, label)
        if label is None and self.num_classes:
            labels = np.arange(n) % self.num_classes  # a conditional grid shows every class
        return self.generate(self.sample_z(n, seed), labels)

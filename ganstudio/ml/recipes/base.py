"""What a recipe is: networks + losses + one train step, described by TF-free metadata, with a default for every hook.

The Trainer calls only these hooks and never asks which recipe or data kind it runs: a new family is one recipe file
that overrides what differs. The defaults are those of a z → image GAN (DCGAN).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ganstudio.core.device_hint import gpu_likely
from ganstudio.ml.training.config import GAN, TrainConfig


@dataclass(frozen=True)
class OptimizerSpec:
    """One optimizer a recipe trains with: which model it updates and which config field holds its learning rate."""

    name: str  # the model it updates (and the name the Trainer knows it by)
    lr_key: str  # TrainConfig field with its learning rate; also what the Train form and Control call it
    title: str  # what the Train form calls it
    checkpoint_key: str = ""  # name inside checkpoints ("opt_<name>" unless set: old runs used opt_g / opt_d)
    averaged: bool = False  # keeps the weight average of config.ema (the generator's)

    @property
    def key(self) -> str:
        return self.checkpoint_key or f"opt_{self.name}"


TTUR_RATES = {"lr_g": 1e-4, "lr_d": 4e-4}  # two time-scale update rule (Heusel et al.): D learns four times faster

GAN_OPTIMIZERS = (OptimizerSpec("generator", "lr_g", "LR generator", "opt_g", averaged=True),
                  OptimizerSpec("discriminator", "lr_d", "LR discriminator", "opt_d"))


def _default_decode(batch, config: TrainConfig):  # noqa: ARG001
    from ganstudio.ml.training.data import to_float_images

    return to_float_images(batch)


def _default_fixed(config: TrainConfig, data) -> dict[str, np.ndarray]:  # noqa: ARG001
    """The fixed z (and labels) every preview is drawn from, from the training prior (SPEC §16 #26)."""
    rng = np.random.default_rng([config.seed, 1])
    shape = (config.preview_count, config.z_dim)
    z = rng.uniform(-1, 1, shape) if config.prior == "uniform" else rng.standard_normal(shape)
    labels = np.arange(config.preview_count, dtype=np.int32) % max(1, config.num_classes)
    return {"z": z.astype(np.float32), "labels": labels}


def _default_preview(models: dict, config: TrainConfig):
    """fn(fixed) → the grid of the generator's images from the fixed z, and the images (for the alarm watcher)."""
    from ganstudio.core.grid import tile, to_uint8
    from ganstudio.ml.runtime import tf

    G = models["generator"]
    conditional = config.num_classes > 0

    @tf().function
    def generate(z, labels):
        return G([z, labels] if conditional else z, training=False)

    def preview(fixed: dict) -> dict:
        samples = to_uint8(generate(fixed["z"], fixed["labels"]).numpy())
        return {"grid": tile(samples), "samples": samples}

    return preview


def _no_metrics(models: dict, config: TrainConfig):  # noqa: ARG001
    return lambda fixed: {}


def _default_reference(config: TrainConfig, data) -> np.ndarray | None:
    """A grid of real images beside the generated one (the same pick on every resume)."""
    from ganstudio.core.grid import tile

    pool = data.preview_pool()
    n = min(config.preview_count, len(pool))
    return tile(pool[np.random.default_rng(config.seed).choice(len(pool), n, replace=False)])


def _no_bundle(config: TrainConfig) -> dict:  # noqa: ARG001
    return {}


def _no_extra_state(models: dict) -> dict:  # noqa: ARG001
    return {}


def _no_check(config: TrainConfig) -> None:  # noqa: ARG001
    pass


@dataclass(frozen=True)
class Recipe:
    name: str
    title: str
    description: str
    # build(config) -> dict of keras models by name (a recipe may leave one out, e.g. the L1-only baseline's D)
    build: Callable[[TrainConfig], dict]
    # make_step(models, optimizers, rng, config, replicas) -> step(decoded batch, labels) -> dict of scalar tensors
    make_step: Callable[..., Callable]
    family: str = GAN  # which hyperparameters apply (config.hp families): "gan" | "translation" | "speech"
    conditional: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    optimizers: tuple[OptimizerSpec, ...] = GAN_OPTIMIZERS
    losses: tuple[str, ...] = ("ns",)  # the --loss choices it accepts; the first is its default
    # network sizes by preset name ("lean" for CPUs, "book" for the book's sizes), between defaults and the loss's
    presets: dict[str, dict] = field(default_factory=dict)
    # settings by data set kind (core.image_data.datasets kinds, e.g. "idx" for MNIST-style digits), between the
    # preset and the loss: what suits that data better than the recipe's general defaults
    data_defaults: dict[str, dict] = field(default_factory=dict)
    paired: bool = False  # trains on (condition, photo) pairs instead of photos alone
    model_kind: str = "generator"  # the manifest kind of the exported model ("translator", "denoiser")
    optimizer: str = "adam"  # "adam" (β1, β2 from the config) | "rmsprop"; a loss or the user may choose another
    data_kind: str = "images"  # what prepare() loads: "images" | "speech" (paired images: `paired`)
    preview_title: str = "Generated (fixed z)"  # what the Train page calls the preview grid
    # decode_batch(raw batch, config) -> what the step receives (default: uint8 images as float in [−1, 1])
    decode_batch: Callable = _default_decode
    # init_fixed(config, data) -> dict of numpy arrays kept across resumes (fixed z, preview pairs, clips)
    init_fixed: Callable = _default_fixed
    # make_preview(models, config) -> fn(fixed) -> uint8 grid, or {"grid", "clips" (audio, see PreviewReady.clips),
    # "samples" (fixed-z images: the mode-collapse alarm watches their variety)}
    make_preview: Callable = _default_preview
    # preview_metrics(models, config) -> fn(fixed) -> {name: value}, computed with each preview (e.g. PESQ of clips)
    preview_metrics: Callable = _no_metrics
    # reference_grid(config, data) -> uint8 grid of real items shown beside the previews, or None
    reference_grid: Callable = _default_reference
    # check(config): raise StudioError for settings that cannot train, before anything is built or written
    check: Callable = _no_check
    # extra_state(models) -> {name: tf trackable} checkpointed beside the models and optimizers
    extra_state: Callable = _no_extra_state
    # bundle(config) -> {subfolder: model folder} copied into the exported model (GAN-CLS: its text encoder), so the
    # model works on a machine that has only it
    bundle: Callable = _no_bundle

    def loss_name(self, config: TrainConfig) -> str:
        """The adversarial loss a run uses: its config's, else this recipe's default (runs made before --loss)."""
        return config.loss or self.losses[0]

    def config(self, for_data: str = "", **overrides) -> TrainConfig:
        """Defaults of the config ← this recipe ← its preset ← its settings for data sets of kind `for_data` ← its
        loss ← TTUR ← the caller's overrides (None values and empty strings are ignored: they mean "the default")."""
        from ganstudio.ml.training import gan_losses

        given = {k: v for k, v in overrides.items() if v is not None and v != ""}
        loss = given.get("loss") or self.defaults.get("loss") or self.losses[0]
        self.check_loss(loss)
        preset = self.preset_name(given.get("preset", ""))
        ttur = TTUR_RATES if given.get("ttur") else {}
        # XLA by device: it fuses well on a GPU, but its CPU convolutions skip oneDNN (measured on 2 cores: DCGAN
        # lean 134 → 223 img/s without it, the book's 5×5 networks 4.5 → 48, WGAN-GP 27 → 46).
        values = {"xla": gpu_likely(), **self.defaults, **self.presets.get(preset, {}),
                  **self.data_defaults.get(for_data, {}), **gan_losses.get(loss).defaults, **ttur, **given,
                  "loss": loss, "preset": preset}
        return TrainConfig(recipe=self.name, **values)

    def preset_name(self, asked: str = "") -> str:
        """The preset a new run uses: the one asked for, else lean on a machine without a GPU and book with one."""
        if not self.presets:
            return ""
        if asked and asked not in self.presets:
            from ganstudio.core.errors import StudioError

            raise StudioError(f"The {self.title} recipe has no {asked!r} preset.",
                              f"Choose one of: {', '.join(self.presets)}.")
        return asked or ("book" if gpu_likely() else "lean")

    def check_loss(self, loss: str) -> None:
        from ganstudio.core.errors import StudioError
        from ganstudio.ml.training import gan_losses

        gan_losses.get(loss)  # an unknown name gets the list of all
        if loss not in self.losses:
            raise StudioError(f"The {self.title} recipe does not train with the {loss!r} loss.",
                              f"Choose one of: {', '.join(self.losses)}.")

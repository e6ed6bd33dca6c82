"""Training configuration: one frozen dataclass, stored as JSON in every run folder and model manifest."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TrainConfig:
    recipe: str
    dataset_path: str = ""
    dataset_kind: str = "images"
    dataset_name: str = ""
    image_size: int = 64
    channels: int = 3
    z_dim: int = 100  # SPEC §16 #5: one value, stored with the model
    prior: str = "normal"  # "normal" (ganhacks, spherical) | "uniform" (book ch. 3, U(−1, 1))
    ngf: int = 64
    ndf: int = 64
    kernel: int = 5
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    num_classes: int = 0
    class_names: tuple[str, ...] = field(default_factory=tuple)
    flip_augment: bool = False
    holdout: float = 0.0  # fraction of items held out for evaluation (by name hash, see core/splits.py)
    xla: bool = True  # jit_compile the train step (~15% faster on CPU)
    seed: int = 0
    # Image translation (pix2pix, pix2pixHD-lite): what the condition is and how the losses are weighted.
    input_kind: str = ""  # "" (z → image) | "edges" | "image" | "labels"
    input_channels: int = 0  # raw channels stored per item: 1 (edges, label ids), 2 (ids + instance edges), 3 (RGB)
    label_classes: int = 0  # label maps: the one-hot width
    palette: dict = field(default_factory=dict)  # label maps: Palette.to_dict(), so the Sketch page can name classes
    direction: str = "AtoB"  # pix2pix A|B folders: which half is the input
    l1_weight: float = 100.0  # λ of the L1 term (SPEC §16 #17: the book left it undefined)
    fm_weight: float = 10.0  # feature matching (pix2pixHD)
    adv_weight: float = 1.0  # 0 gives the L1-only U-Net baseline
    d_scales: int = 1  # PatchGAN scales (pix2pixHD-lite: up to 3)
    n_blocks: int = 4  # residual blocks of the pix2pixHD-lite generator
    dropout: float = 0.5  # generator dropout: the noise source, and the render "variation"
    # Speech enhancement (SEGAN): 16,384-sample windows at 16 kHz (SPEC §16 #35: samples, not seconds).
    window: int = 16384
    variant: str = "book"  # "book" (5 layers, stride 4) | "paper" (11 layers, stride 2)
    stft_weight: float = 0.0  # multi-resolution STFT loss beside the L1 (speech; see ml/losses.py)
    stoi_weight: float = 0.0  # 1 − a differentiable STOI beside the L1 (speech intelligibility; ml/losses.py)
    residual: bool = False  # enhanced = noisy + the decoder's correction (False: the book's generator, as stored runs had)
    preemphasis: float = 0.0  # 0.95 in the original paper; the book uses none
    snr_min: float = 0.0  # on-the-fly mixtures (clean speech + noise folders): SNR drawn uniformly in dB
    snr_max: float = 15.0
    vary_noise: bool = False  # clean + noise folders: vary each mixture's noise (speed, EQ, pairs; core/noise_mix.py)
    # Fine-tuning: a model folder whose generator weights start the run (e.g. a SEGAN pre-trained without adversary).
    init_generator: str = ""
    # Generator weight averaging (Keras optimizer EMA): 0 is off; 0.999 averages over ~1,000 steps. Previews, checkpoint
    # metrics and exports use the average, which generalizes better than the last step's weights (SEGAN on new noises).
    ema: float = 0.0
    preview_count: int = 36
    preview_every: int = 100
    checkpoint_every: int = 500
    keep_checkpoints: int = 3

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "class_names" in values:
            values["class_names"] = tuple(values["class_names"])
        return cls(**values)

    def replace(self, **changes) -> TrainConfig:
        return dataclasses.replace(self, **changes)

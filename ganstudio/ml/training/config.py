"""Training configuration: one frozen dataclass, stored as JSON in every run folder and model manifest.

It is also the one table of hyperparameters: a field declared with `hp(...)` carries its help, range, choices and the
recipe families that use it, and the CLI flags (`commands/train_flags.py`), the Train form's fields and the
TensorBoard hparams are all generated from it. Old run folders resume: a field they lack takes its default, and
every new field's default is the behaviour runs had before it existed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from ganstudio.ml.training import gan_losses

GAN, TEXT, TRANSLATION, SPEECH = "gan", "text", "translation", "speech"  # recipe families (Recipe.family)
ALL = (GAN, TEXT, TRANSLATION, SPEECH)
Z_GANS = (GAN, TEXT)  # the families with a z: z → image, and text + z → image


def hp(default: Any, help: str, *, families: tuple[str, ...] = ALL, low: float | None = None,  # noqa: A002
       high: float | None = None, choices: tuple = (), form: bool = False, flag: str = "", title: str = "",
       trick: bool = False, factory=None) -> Any:
    """A hyperparameter: a dataclass field whose metadata says how users set it (CLI flag, form field; `trick`: the
    form keeps it folded under "Tricks" until asked)."""
    meta = dict(help=help, families=families, low=low, high=high, choices=choices, form=form, flag=flag,
                title=title, trick=trick, hyperparameter=True)
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class TrainConfig:
    recipe: str
    dataset_path: str = ""
    dataset_kind: str = "images"
    dataset_name: str = ""
    # ---- sizes ----------------------------------------------------------------------------------------------------
    preset: str = hp("", "network sizes: lean (fewer filters, 4×4 kernels: fast on a CPU, the default without a GPU) "
                     "or book (the book's 64-filter 5×5 networks: the default on a GPU); empty: by device",
                     choices=("", "lean", "book"), families=Z_GANS, form=True)
    batch_size: int = hp(64, "images (pairs, windows) per step", low=1, high=4096, form=True)
    image_size: int = hp(64, "square size the images are trained at (a power of two)", families=(*Z_GANS, TRANSLATION),
                         choices=(16, 32, 64, 128, 256), form=True)
    channels: int = 3
    z_dim: int = hp(100, "size of the latent vector z (SPEC §16 #5: one value, stored with the model)", low=2,
                    high=1024, families=Z_GANS, form=True, title="z size")
    prior: str = hp("normal", "distribution of z: normal (ganhacks, spherical) or uniform (book ch. 3, U(−1, 1))",
                    choices=("normal", "uniform"), families=Z_GANS)
    ngf: int = hp(64, "generator width: filters of its widest (or first) layer", low=1, high=1024, form=True,
                  title="G filters")
    ndf: int = hp(64, "discriminator width: filters of its first layer", low=1, high=1024, form=True,
                  title="D filters")
    kernel: int = hp(5, "conv kernel size (book: 5; 4 is ~1.5× faster and tiles stride 2 without checkerboards)",
                     choices=(3, 4, 5), families=Z_GANS, form=True)
    # ---- the adversarial game -------------------------------------------------------------------------------------
    loss: str = hp("", "adversarial loss (`ganstudio recipes` lists which each recipe takes); empty: the recipe's",
                   choices=("", *gan_losses.names()))
    n_critic: int = hp(1, "discriminator (critic) updates per generator update (WGAN: 5)", low=1, high=100,
                       families=Z_GANS, form=True, title="D steps per G step")
    gp_weight: float = hp(0.0, "λ of the WGAN-GP gradient penalty (0: off; wgan-gp sets 10)", low=0.0, high=1000.0,
                          families=(GAN,))
    clip_weights: float = hp(0.0, "WGAN: clip every critic weight to ±this after each critic step (0: off)",
                             low=0.0, high=1.0, families=(GAN,))
    optimizer: str = hp("", "adam or rmsprop (empty: the recipe's or the loss's)", choices=("", "adam", "rmsprop"))
    lr_g: float = hp(2e-4, "learning rate of the generator's optimizer (changes apply to a running run)", low=1e-7,
                     high=0.1)
    lr_d: float = hp(2e-4, "learning rate of the discriminator's optimizer (changes apply to a running run)",
                     low=1e-7, high=0.1)
    beta1: float = hp(0.5, "Adam β1 (DCGAN: 0.5; WGAN-GP: 0)", low=0.0, high=0.999)
    beta2: float = hp(0.999, "Adam β2 (WGAN-GP: 0.9)", low=0.0, high=0.9999)
    ttur: bool = hp(False, "two time-scale update rule (Heusel et al.): D learns 4× faster, lr_g 1e-4, lr_d 4e-4 "
                    "(sets the learning rates you did not set)", families=Z_GANS, form=True, trick=True, title="TTUR")
    # ---- tricks (ganhacks, book ch. 5): each off by default, so a run trains as it did before they existed --------
    d_norm: str = hp("batch", "normalisation in the discriminator: batch, layer or none (WGAN-GP needs none: the "
                     "penalty is per sample)", choices=("batch", "layer", "none"), families=Z_GANS, title="D norm")
    spectral_norm: bool = hp(False, "spectral normalisation of the discriminator's layers (Miyato et al.): a "
                             "Lipschitz critic without a penalty", families=Z_GANS, form=True, trick=True)
    minibatch_std: bool = hp(False, "minibatch standard deviation feature in the discriminator (Karras et al.): "
                             "lets D see a batch's lack of variety, against mode collapse", families=(GAN,),
                             form=True, trick=True, title="Minibatch std")
    label_smoothing: float = hp(0.0, "one-sided label smoothing: real target 1 − this (e.g. 0.1); probability "
                                "losses only", low=0.0, high=0.5, families=Z_GANS, form=True, trick=True)
    instance_noise: float = hp(0.0, "std of Gaussian noise added to the discriminator's inputs, decaying to 0 over "
                               "noise_decay steps (keeps supports overlapping early on)", low=0.0, high=2.0,
                               families=(GAN,), form=True, trick=True)
    noise_decay: int = hp(10000, "steps over which the instance noise decays linearly to 0", low=1, high=10**9,
                          families=(GAN,))
    feature_matching: float = hp(0.0, "weight of feature matching in the generator's loss (Salimans et al.): "
                                 "match the mean of D's last features on real and fake", low=0.0, high=100.0,
                                 families=(GAN,), form=True, trick=True)
    # ---- data ------------------------------------------------------------------------------------------------------
    num_classes: int = 0
    class_names: tuple[str, ...] = field(default_factory=tuple)
    flip_augment: bool = hp(False, "mirror images horizontally at random (photos, not digits)",
                            families=(GAN, TEXT, TRANSLATION), flag="flip")
    holdout: float = hp(0.0, "fraction of items held out for evaluation (by name hash, see core/image_data/splits.py)",
                        low=0.0, high=0.9)
    xla: bool = hp(True, "jit-compile the train step with XLA (default: on with a GPU; off on a CPU, where XLA's "
                   "convolutions are 1.7–10× slower than TensorFlow's oneDNN ones)")
    seed: int = hp(0, "random seed: weights, batch order and previews are functions of it", low=0, high=2**31 - 1)
    # ---- image translation (pix2pix, pix2pixHD-lite) ---------------------------------------------------------------
    input_kind: str = ""  # "" (z → image) | "edges" | "image" | "labels"
    input_channels: int = 0  # raw channels stored per item: 1 (edges, label ids), 2 (ids + instance edges), 3 (RGB)
    label_classes: int = 0  # label maps: the one-hot width
    palette: dict = field(default_factory=dict)  # label maps: Palette.to_dict(), so the Sketch page can name classes
    direction: str = hp("AtoB", "pix2pix A|B folders: which half is the input", choices=("AtoB", "BtoA"),
                        families=(TRANSLATION,))
    l1_weight: float = hp(100.0, "λ of the L1 term (pix2pix: 100; SPEC §16 #17: the book left it undefined)",
                          low=0.0, high=10000.0, families=(TRANSLATION, SPEECH), form=True, title="L1 weight")
    fm_weight: float = hp(10.0, "feature-matching weight (pix2pixHD-lite: 10)", low=0.0, high=1000.0,
                          families=(TRANSLATION,))
    adv_weight: float = hp(1.0, "weight of the adversarial term (0: no adversary, the L1-only baseline)", low=0.0,
                           high=1000.0, families=(TRANSLATION, SPEECH))
    d_scales: int = hp(1, "PatchGAN scales (pix2pixHD-lite: 1–3)", low=1, high=3, families=(TRANSLATION,))
    n_blocks: int = hp(4, "residual blocks of the pix2pixHD-lite generator", low=1, high=16,
                       families=(TRANSLATION,))
    dropout: float = hp(0.5, "generator dropout: the noise source, and the render 'variation' (pix2pix: 0.5)",
                        low=0.0, high=0.9, families=(TRANSLATION,))
    # ---- text → image (GAN-CLS) --------------------------------------------------------------------------------------
    text_encoder: str = hp("text-encoder-flowers", "the text encoder (a shipped model's name or a model folder) whose "
                           "caption embeddings condition the generator; it is copied into the exported model",
                           families=(TEXT,))
    text_dim: int = 0  # the caption embeddings' size, set from the text encoder when the data is prepared
    ca_dim: int = hp(128, "size of the conditioning augmentation's Gaussian (StackGAN)", low=1, high=1024,
                     families=(TEXT,))
    kl_weight: float = hp(1.0, "weight of the KL term that keeps the conditioning Gaussian near N(0, I) (StackGAN)",
                          low=0.0, high=100.0, families=(TEXT,), form=True, title="KL weight")
    int_weight: float = hp(1.0, "weight of GAN-INT (Reed et al.): the generator is also judged on halfway mixes of "
                           "two captions' embeddings, so prompts between captions make flowers too (0: off)",
                           low=0.0, high=100.0, families=(TEXT,), form=True, title="GAN-INT weight")
    d_condition: str = hp("concat", "how D reads the text: concat (the book's: tiled beside its 4×4 features) or "
                          "projection (Miyato & Koyama 2018: inner product of the projected text with D's pooled "
                          "features, a stronger conditional signal)", choices=("concat", "projection"),
                          families=(TEXT,), form=True, title="Text in D")
    match_weight: float = hp(0.0, "weight of the sentence-matching loss (AttnGAN's DAMSM): the frozen text encoder's "
                             "image side must pick each generated image's own caption among the batch's (0: off)",
                             low=0.0, high=100.0, families=(TEXT,), form=True, title="Matching weight")
    ms_weight: float = hp(0.0, "weight of the mode-seeking term (Mao et al. 2019, MSGAN): two z's under one caption "
                          "must give images as far apart as the z's are, so a prompt's grid is not one flower "
                          "repeated (0: off)", low=0.0, high=100.0, families=(TEXT,), form=True,
                          title="Mode-seeking weight")
    # ---- speech enhancement (SEGAN): 16,384-sample windows at 16 kHz (SPEC §16 #35: samples, not seconds) ---------
    window: int = hp(16384, "samples per training window at 16 kHz", low=1024, high=2**18, families=(SPEECH,))
    variant: str = hp("book", "book (5 layers, stride 4) or paper (11 layers, stride 2)", choices=("book", "paper"),
                      families=(SPEECH,))
    stft_weight: float = hp(0.0, "weight of the multi-resolution STFT loss beside the L1 (0: the book's L1 only)",
                            low=0.0, high=1000.0, families=(SPEECH,))
    stoi_weight: float = hp(0.0, "weight of 1 − a differentiable STOI (intelligibility) beside the L1 (0: off)",
                            low=0.0, high=1000.0, families=(SPEECH,))
    residual: bool = hp(False, "the generator adds a correction to its input (False: the book's generator, which "
                        "rebuilds the waveform)", families=(SPEECH,))
    preemphasis: float = hp(0.0, "pre-emphasis coefficient (paper: 0.95; book: 0)", low=0.0, high=0.99,
                            families=(SPEECH,))
    snr_min: float = hp(0.0, "clean + noise folders: lowest mixing SNR in dB", low=-30.0, high=60.0,
                        families=(SPEECH,))
    snr_max: float = hp(15.0, "clean + noise folders: highest mixing SNR in dB", low=-30.0, high=60.0,
                        families=(SPEECH,))
    vary_noise: bool = hp(False, "clean + noise folders: give each mixture a new variant of a noise recording "
                          "(speed, EQ, two mixed)", families=(SPEECH,))
    # Fine-tuning: a model folder whose generator weights start the run (e.g. a SEGAN pre-trained without adversary).
    init_generator: str = ""
    # Generator weight averaging (Keras optimizer EMA): 0 is off; 0.999 averages over ~1,000 steps. Previews, checkpoint
    # metrics and exports use the average, which generalizes better than the last step's weights (SEGAN on new noises).
    ema: float = hp(0.0, "average the generator's weights over training (e.g. 0.999: over ~1,000 steps); previews, "
                    "checkpoint metrics and exported models use the average (0: off)", low=0.0, high=0.99999)
    # ---- bookkeeping ------------------------------------------------------------------------------------------------
    preview_count: int = 36
    preview_every: int = hp(100, "steps between sample grids from the fixed z", low=1, high=10**6, form=True)
    checkpoint_every: int = hp(500, "steps between checkpoints", low=1, high=10**9)
    keep_checkpoints: int = hp(3, "checkpoints kept (plus the best by the evaluation metric)", low=1, high=1000)

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


def hyperparameters(family: str | None = None) -> list[dataclasses.Field]:
    """The fields users set (CLI flags, form fields), in declaration order; only those of `family` when given."""
    return [f for f in dataclasses.fields(TrainConfig) if f.metadata.get("hyperparameter")
            and (family is None or family in f.metadata["families"])]

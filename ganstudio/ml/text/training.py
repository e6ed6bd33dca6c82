"""Joint embedding training: a text encoder and an image encoder learn together, with a symmetric contrastive loss,
that a caption lands near its own photo and away from the batch's other photos; the checkpoint is chosen by
R-precision on selection photos (training-side, never the held-out ones)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from ganstudio.core.text.tokenizers import Tokenizer, build_tokenizer
from ganstudio.ml.runtime import tf
from ganstudio.ml.text.contrastive import TEMPERATURE, contrastive_loss
from ganstudio.ml.text.data import CaptionedPhotos, PairBatches
from ganstudio.ml.text.evaluate import evaluate
from ganstudio.ml.text.networks import EMBED_DIM, image_encoder, joint_model, split_joint, text_encoder
from ganstudio.ml.training.update import update


@dataclass(frozen=True)
class TextEncoderConfig:
    kind: str = "char"  # "char" | "word"
    steps: int = 3000
    batch_size: int = 64
    lr: float = 1e-3
    temperature: float = TEMPERATURE
    dim: int = EMBED_DIM
    max_len: int | None = None  # default: 128 characters or 32 words
    text_widths: tuple[int, ...] | None = None  # conv widths; default: networks.CHAR_WIDTHS / WORD_WIDTHS
    image_widths: tuple[int, ...] | None = None  # a fresh image trunk's widths (when image_init is None)
    image_init: str | None = None  # a classifier (name or folder) whose pooled features start the image encoder
    freeze_image_trunk: bool = False  # train only the image projection (with image_init: its features as they are)
    unk_rate: float = 0.1  # caption words masked as UNK during training (an unknown word is no cue)
    swap_rate: float = 0.02  # caption tokens swapped with their neighbour during training (typos, for chars)
    select_every: int = 250
    seed: int = 0

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


@dataclass
class TrainedTextEncoder:
    model: object  # the joint model: ids and photo in, both embeddings out
    tokenizer: Tokenizer
    config: TextEncoderConfig
    metrics: dict = field(default_factory=dict)
    history: list[tuple[int, float]] = field(default_factory=list)  # (step, selection R-precision)

    def encoders(self):
        """(text encoder, image encoder), sharing the joint model's weights."""
        return split_joint(self.model)


def _image_trunk(cfg: TextEncoderConfig):
    """The flower classifier up to its pooled features when cfg.image_init names one, else None (a fresh trunk)."""
    if cfg.image_init is None:
        return None
    import keras

    from ganstudio.ml.evaluation.classifier import resolve_classifier
    from ganstudio.ml.modelfile import load_model
    from ganstudio.ml.networks.classifier import FEATURES_LAYER

    classifier, _ = load_model(resolve_classifier(cfg.image_init), kind="classifier")
    trunk = keras.Model(classifier.inputs, classifier.get_layer(FEATURES_LAYER).output, name="image_trunk")
    trunk.trainable = not cfg.freeze_image_trunk  # frozen, its BatchNorm layers also keep their statistics
    return trunk


def build_joint(cfg: TextEncoderConfig, tokenizer: Tokenizer, image_size: int):
    text = text_encoder(cfg.kind, tokenizer.size, tokenizer.max_len, cfg.text_widths, cfg.dim)
    return joint_model(text, image_encoder(image_size, _image_trunk(cfg), cfg.image_widths, cfg.dim))


def _step_function(joint, optimizer, temperature: float):
    t = tf()

    @t.function(reduce_retracing=True)
    def step(ids, images):
        def loss_fn():
            text, image = joint([ids, images], training=True)
            return contrastive_loss(text, image, temperature), {}

        loss, _, norm = update(joint, optimizer, loss_fn, 1)
        return loss, norm

    return step


def train_text_encoder(train: CaptionedPhotos, select: CaptionedPhotos, cfg: TextEncoderConfig = TextEncoderConfig(),
                       on_progress: Callable[[int, dict], None] | None = None) -> TrainedTextEncoder:
    """Train for cfg.steps; every cfg.select_every steps score the selection photos and keep the best weights."""
    tf()
    import keras

    keras.utils.set_random_seed(cfg.seed)
    tokenizer = build_tokenizer(cfg.kind, [c for caps in train.captions for c in caps], cfg.max_len)
    joint = build_joint(cfg, tokenizer, int(train.images.shape[1]))
    schedule = keras.optimizers.schedules.CosineDecay(cfg.lr, decay_steps=max(1, cfg.steps), alpha=0.05)
    step = _step_function(joint, keras.optimizers.Adam(schedule), cfg.temperature)
    batches = PairBatches(train, tokenizer, cfg.batch_size, cfg.seed, cfg.unk_rate, cfg.swap_rate)
    trained = TrainedTextEncoder(joint, tokenizer, cfg)
    best, started, losses = (-1.0, 0, None), time.process_time(), []
    for n in range(1, cfg.steps + 1):
        loss, _ = step(*batches.next())
        losses.append(float(loss))
        if n % cfg.select_every and n != cfg.steps:
            continue
        score = _selection_score(trained, select)
        trained.history.append((n, score))
        if score > best[0]:
            best = (score, n, joint.get_weights())
        if on_progress:
            on_progress(n, {"loss": float(np.mean(losses[-cfg.select_every:])), "select_rprec": score})
    joint.set_weights(best[2])
    trained.metrics = {"select_rprec": round(best[0], 4), "best_step": best[1], "steps": cfg.steps,
                       "cpu_s": round(time.process_time() - started, 1), "train_photos": len(train),
                       "select_photos": len(select), "text_parameters": int(trained.encoders()[0].count_params())}
    return trained


def _selection_score(trained: TrainedTextEncoder, select: CaptionedPhotos) -> float:
    text, image = trained.encoders()
    return evaluate(text, image, trained.tokenizer, select.images, {"select": select.captions}, rounds=3)["select"]

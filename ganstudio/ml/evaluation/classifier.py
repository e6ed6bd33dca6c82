"""The domain classifiers behind FID, mode coverage and the digit rate: train one on a data set's training split (a
preset per kind of data: photos or digits), save it as a model folder, load it back as a session that turns uint8
images into (features, class probabilities)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import ndimage

from ganstudio.core.catalog import find_model, installed_model, installed_models
from ganstudio.core.image_data.datasets import LoadedData
from ganstudio.core.errors import DataError, ModelFileError
from ganstudio.core.manifest import Manifest
from ganstudio.ml.evaluation.outliers import outlier_images
from ganstudio.ml.modelfile import load_model, save_model
from ganstudio.ml.networks.classifier import DEFAULT_WIDTHS, FEATURES_LAYER
from ganstudio.ml.runtime import tf

FLOWER_CLASSIFIER, DIGIT_CLASSIFIER = "flower-classifier", "digit-classifier"  # shipped names, also their recipes
FILENAME = "classifier.keras"


@dataclass(frozen=True)
class ClassifierConfig:
    epochs: int = 45
    batch_size: int = 64
    lr: float = 2e-3
    seed: int = 0
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    max_shift: int = 6  # augmentation: random translation in pixels (reflect-padded), plus flips and brightness
    flip: bool = True  # random horizontal mirroring: right for photos, wrong for glyphs (a mirrored 7 is no 7)
    degrade: bool = False  # augmentation: blur, grain and a grey ground, as generated images have
    outliers: float = 0.0  # non-class images per training image and epoch, taught to give a uniform answer


@dataclass(frozen=True)
class Preset:
    """What differs between kinds of data: the network's size, the augmentation, and how the model folder is named."""

    recipe: str
    title: str  # formatted with {classes} and {size}
    config: ClassifierConfig
    notes: str = "Features of its 'features' layer (global average pool) give a domain FID; see models/README.md."


PRESETS = {
    "photos": Preset(FLOWER_CLASSIFIER, "Flower classifier ({classes} classes, {size}×{size}) for FID",
                     ClassifierConfig()),
    # Centred 32×32 glyphs: three small conv stages (two reach only 92%), only small shifts keep a digit what it is,
    # and outliers, without which noise and flat grey are "digits" at 100% confidence.
    "digits": Preset(DIGIT_CLASSIFIER, "Digit classifier ({classes} classes, {size}×{size}) for the digit rate",
                     ClassifierConfig(epochs=20, widths=(32, 64, 128), max_shift=2, flip=False, degrade=True,
                                      outliers=0.25),
                     "Trained to answer non-digits with a uniform guess: its confidence gives the digit rate "
                     "(ml/evaluation/digits.py); see models/README.md."),
}


def preset_for(kind: str) -> str:
    """The preset of a data set kind: IDX files hold MNIST-style glyphs, image folders hold photos."""
    return "digits" if kind == "idx" else "photos"


@dataclass
class TrainedClassifier:
    model: object
    class_names: tuple[str, ...]
    config: ClassifierConfig
    metrics: dict = field(default_factory=dict)


# ---- training ---------------------------------------------------------------------------------------------------
def augment(images: np.ndarray, rng: np.random.Generator, cfg: ClassifierConfig) -> np.ndarray:
    """Light augmentation: random horizontal flip (if cfg.flip), translation by up to cfg.max_shift px, brightness
    ×[0.85, 1.15], and the blur, grain and grey ground of generated images (if cfg.degrade)."""
    n, size = len(images), images.shape[1]
    flipped = np.where(rng.random(n)[:, None, None, None] < 0.5, images[:, :, ::-1], images) if cfg.flip else images
    pad = max(0, min(cfg.max_shift, size // 4))
    padded = np.pad(flipped, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="reflect")
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    shifted = np.stack([padded[i, dy[i]:dy[i] + size, dx[i]:dx[i] + size] for i in range(n)]).astype(np.float32)
    gain = rng.uniform(0.85, 1.15, (n, 1, 1, 1)).astype(np.float32)
    return np.clip((degrade(shifted, rng) if cfg.degrade else shifted) * gain, 0, 255)


def degrade(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blur (σ ≤ 1.5) half the images, lift the ground of a third to grey (≤ 60), add grain (σ ≤ 15) to a third.
    Outliers teach that noise, smooth blotches and flat grey are no class; this keeps a soft, grainy or grey-ground
    member of a class one (generated images are all three)."""
    n = len(images)
    for i in np.flatnonzero(rng.random(n) < 0.5):
        sigma = rng.uniform(0.3, 1.5)
        images[i] = ndimage.gaussian_filter(images[i], (sigma, sigma, 0))
    lift = np.where(rng.random(n) < 1 / 3, rng.uniform(0, 60, n), 0).astype(np.float32)[:, None, None, None]
    grain = np.where(rng.random(n) < 1 / 3, rng.uniform(0, 15, n), 0).astype(np.float32)[:, None, None, None]
    return lift + images * (1 - lift / 255) + grain * rng.standard_normal(images.shape, dtype=np.float32)


def _compiled_model(train: LoadedData, cfg: ClassifierConfig):
    import keras

    from ganstudio.ml.networks.classifier import classifier

    model = classifier(train.images.shape[1], train.channels, len(train.class_names), cfg.widths)
    steps = cfg.epochs * int(np.ceil(len(train.images) * (1 + cfg.outliers) / cfg.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(cfg.lr, decay_steps=max(1, steps), alpha=0.02)
    # Soft targets: one-hot for class images (the same loss as sparse labels), uniform for outliers.
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=[_labelled_accuracy()])
    return model


def _labelled_accuracy():
    """Training accuracy over the class images only: an outlier has no right answer to count."""
    import keras
    from keras import ops

    class LabelledAccuracy(keras.metrics.Mean):
        def update_state(self, y_true, y_pred, sample_weight=None):
            hit = ops.cast(ops.argmax(y_true, axis=-1) == ops.argmax(y_pred, axis=-1), "float32")
            return super().update_state(hit, ops.cast(ops.max(y_true, axis=-1) > 0.5, "float32"))

    return LabelledAccuracy(name="accuracy")


def accuracy(model, data: LoadedData, batch: int = 256) -> float:
    predicted = [np.argmax(model(data.images[i:i + batch].astype(np.float32), training=False), axis=1)
                 for i in range(0, len(data.images), batch)]
    return float(np.mean(np.concatenate(predicted) == data.labels))


def train_classifier(train: LoadedData, heldout: LoadedData, cfg: ClassifierConfig = ClassifierConfig(),
                     on_epoch: Callable[[int, dict], None] | None = None) -> TrainedClassifier:
    """Train for a fixed number of epochs (no early stopping, so held-out accuracy stays an honest estimate)."""
    if train.labels is None or len(train.class_names) < 2:
        raise DataError("The classifier needs class labels (one subfolder per class).", "Use a folder of class folders.")
    tf()
    import keras

    keras.utils.set_random_seed(cfg.seed)
    model, started = _compiled_model(train, cfg), time.process_time()
    _fit_epochs(model, train, cfg, on_epoch)
    metrics = {"heldout_accuracy": round(accuracy(model, heldout), 4), "train_accuracy": round(accuracy(model, train), 4),
               "train_images": len(train.images), "heldout_images": len(heldout.images), "epochs": cfg.epochs,
               "cpu_s": round(time.process_time() - started, 1)}
    return TrainedClassifier(_without_optimizer(model), tuple(train.class_names), cfg, metrics)


def _fit_epochs(model, train: LoadedData, cfg: ClassifierConfig, on_epoch) -> None:
    """One freshly augmented copy of the training set (and fresh outliers) per epoch: cheap in NumPy next to the
    convolutions."""
    rng = np.random.default_rng(cfg.seed)
    for epoch in range(cfg.epochs):
        x, y = _epoch_data(train, cfg, rng)
        hist = model.fit(x, y, batch_size=cfg.batch_size, epochs=epoch + 1, initial_epoch=epoch,
                         shuffle=True, verbose=0).history
        if on_epoch:
            on_epoch(epoch + 1, {"loss": hist["loss"][-1], "train_accuracy": hist["accuracy"][-1]})


def _epoch_data(train: LoadedData, cfg: ClassifierConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    classes = len(train.class_names)
    x, y = augment(train.images, rng, cfg), np.eye(classes, dtype=np.float32)[train.labels]
    n = int(round(cfg.outliers * len(x)))
    if n == 0:
        return x, y
    extra = outlier_images(train.images, rng, n, train.labels).astype(np.float32)
    return np.concatenate([x, extra]), np.concatenate([y, np.full((n, classes), 1 / classes, np.float32)])


def _without_optimizer(model):
    """An uncompiled copy: saving the compiled model would store Adam's slots too (3× the file size). Not
    keras.models.clone_model: it compiles the clone with the original's optimizer."""
    import keras

    fresh = keras.Model.from_config(model.get_config())
    fresh.set_weights(model.get_weights())
    return fresh


# ---- model folder -----------------------------------------------------------------------------------------------
def classifier_manifest(trained: TrainedClassifier, dataset: dict, holdout: float, preset: str = "photos") -> Manifest:
    model, cfg = trained.model, trained.config
    size, channels = int(model.input_shape[1]), int(model.input_shape[-1])
    config = {"image_size": size, "channels": channels, "class_names": list(trained.class_names),
              "features_layer": FEATURES_LAYER, "feature_dim": int(cfg.widths[-1]), "holdout": holdout,
              "epochs": cfg.epochs, "batch_size": cfg.batch_size, "lr": cfg.lr, "seed": cfg.seed,
              "widths": list(cfg.widths), "max_shift": cfg.max_shift, "flip": cfg.flip, "degrade": cfg.degrade,
              "outliers": cfg.outliers, "preset": preset}
    made = PRESETS[preset]
    title = made.title.format(classes=len(trained.class_names), size=size)
    return Manifest(kind="classifier", recipe=made.recipe, title=title, config=config, dataset=dataset,
                    metrics=dict(trained.metrics), notes=made.notes)


def save_classifier(trained: TrainedClassifier, out_dir: Path, dataset: dict, holdout: float,
                    preset: str = "photos") -> Path:
    manifest = classifier_manifest(trained, dataset, holdout, preset)
    return save_model(trained.model, manifest, Path(out_dir), FILENAME)


def resolve_classifier(name_or_path: str | Path | None) -> Path:
    """None → the shipped flower classifier (FID's default) or else the first installed one; else a model folder
    path or an installed classifier's name."""
    if name_or_path is not None:
        found = find_model(name_or_path, "classifier")
    else:
        installed = [e.path for e in installed_models("classifier")]
        found = installed_model(FLOWER_CLASSIFIER, "classifier") or (installed[0] if installed else None)
    if found is not None:
        return found
    wanted = "No classifier is installed" if name_or_path is None else f"No classifier called {name_or_path!r}"
    raise ModelFileError(f"{wanted}.", "Train one: ganstudio classifier train --data flowers --holdout 0.1 --out DIR.")


# ---- inference --------------------------------------------------------------------------------------------------
@dataclass
class ClassifierSession:
    """Batched (features, class probabilities) for uint8 images; other sizes are resized to the classifier's input."""

    model: object
    manifest: Manifest
    batch_size: int = 250

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> ClassifierSession:
        model, manifest = load_model(resolve_classifier(model_dir), kind="classifier")
        session = cls(model, manifest)
        session._compile()
        return session

    @property
    def image_size(self) -> int:
        return int(self.manifest.config["image_size"])

    @property
    def channels(self) -> int:
        return int(self.manifest.config.get("channels", 3))

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(self.manifest.config["class_names"])

    def _compile(self) -> None:
        t = tf()
        import keras

        m = self.model
        try:
            features = m.get_layer(FEATURES_LAYER).output
        except ValueError as err:  # a foreign classifier: FID and the outlier check read their features here
            raise ModelFileError(f"{FILENAME} has no layer {FEATURES_LAYER!r}, which FID reads features from.",
                                 "Use a classifier trained with `ganstudio classifier train`.") from err
        both = keras.Model(m.inputs, [features, m.output])
        spec = t.TensorSpec((None, self.image_size, self.image_size, self.channels), t.float32)

        @t.function(input_signature=[spec])
        def embed(images):
            features, logits = both(images, training=False)
            return features, t.nn.softmax(logits)

        self._embed = embed

    def _fit_input(self, images: np.ndarray) -> np.ndarray:
        x = np.asarray(images)
        if x.ndim != 4 or x.shape[-1] not in (1, self.channels):
            raise DataError(f"Images of shape {x.shape} do not fit a {self.channels}-channel classifier.",
                            "Evaluate generators of the classifier's kind of images.")
        if x.shape[-1] != self.channels:
            x = np.repeat(x, self.channels, axis=-1)
        x = x.astype(np.float32)
        if x.shape[1:3] != (self.image_size, self.image_size):
            x = tf().image.resize(x, (self.image_size, self.image_size), antialias=True).numpy()
        return x

    def embed(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(features (N, D) float64, probabilities (N, classes)) for uint8 images (N, S, S, C)."""
        feats, probs = [], []
        for start in range(0, len(images), self.batch_size):
            f, p = self._embed(self._fit_input(images[start:start + self.batch_size]))
            feats.append(f.numpy())
            probs.append(p.numpy())
        return np.concatenate(feats).astype(np.float64), np.concatenate(probs)

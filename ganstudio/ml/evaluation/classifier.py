"""The domain classifier behind FID and mode coverage: train it on a data set's training split, save it as a model
folder, load it back as a session that turns uint8 images into (features, class probabilities)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.catalog import installed_models
from ganstudio.core.datasets import LoadedData
from ganstudio.core.errors import DataError, ModelFileError
from ganstudio.core.manifest import Manifest
from ganstudio.ml.modelfile import load_model, save_model
from ganstudio.ml.networks.classifier import DEFAULT_WIDTHS, FEATURES_LAYER
from ganstudio.ml.runtime import tf

RECIPE = "flower-classifier"
FILENAME = "classifier.keras"


@dataclass(frozen=True)
class ClassifierConfig:
    epochs: int = 45
    batch_size: int = 64
    lr: float = 2e-3
    seed: int = 0
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    max_shift: int = 6  # augmentation: random translation in pixels (reflect-padded), plus flips and brightness


@dataclass
class TrainedClassifier:
    model: object
    class_names: tuple[str, ...]
    config: ClassifierConfig
    metrics: dict = field(default_factory=dict)


# ---- training ---------------------------------------------------------------------------------------------------
def augment(images: np.ndarray, rng: np.random.Generator, max_shift: int) -> np.ndarray:
    """Light augmentation: random horizontal flip, translation by up to max_shift px, brightness ×[0.85, 1.15]."""
    n, size = len(images), images.shape[1]
    flipped = np.where(rng.random(n)[:, None, None, None] < 0.5, images[:, :, ::-1], images)
    pad = max(0, min(max_shift, size // 4))
    padded = np.pad(flipped, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="reflect")
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    shifted = np.stack([padded[i, dy[i]:dy[i] + size, dx[i]:dx[i] + size] for i in range(n)])
    gain = rng.uniform(0.85, 1.15, (n, 1, 1, 1)).astype(np.float32)
    return np.clip(shifted.astype(np.float32) * gain, 0, 255)


def _compiled_model(train: LoadedData, cfg: ClassifierConfig):
    import keras

    from ganstudio.ml.networks.classifier import classifier

    model = classifier(train.images.shape[1], train.channels, len(train.class_names), cfg.widths)
    steps = cfg.epochs * int(np.ceil(len(train.images) / cfg.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(cfg.lr, decay_steps=max(1, steps), alpha=0.02)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


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
    """One freshly augmented copy of the training set per epoch (cheap in NumPy next to the convolutions)."""
    rng = np.random.default_rng(cfg.seed)
    for epoch in range(cfg.epochs):
        x = augment(train.images, rng, cfg.max_shift)
        hist = model.fit(x, train.labels, batch_size=cfg.batch_size, epochs=epoch + 1, initial_epoch=epoch,
                         shuffle=True, verbose=0).history
        if on_epoch:
            on_epoch(epoch + 1, {"loss": hist["loss"][-1], "train_accuracy": hist["accuracy"][-1]})


def _without_optimizer(model):
    """An uncompiled copy: saving the compiled model would store Adam's slots too (3× the file size). Not
    keras.models.clone_model: it compiles the clone with the original's optimizer."""
    import keras

    fresh = keras.Model.from_config(model.get_config())
    fresh.set_weights(model.get_weights())
    return fresh


# ---- model folder -----------------------------------------------------------------------------------------------
def classifier_manifest(trained: TrainedClassifier, dataset: dict, holdout: float, title: str = "") -> Manifest:
    model, cfg = trained.model, trained.config
    size, channels = int(model.input_shape[1]), int(model.input_shape[-1])
    config = {"image_size": size, "channels": channels, "class_names": list(trained.class_names),
              "features_layer": FEATURES_LAYER, "feature_dim": int(cfg.widths[-1]), "holdout": holdout,
              "epochs": cfg.epochs, "batch_size": cfg.batch_size, "lr": cfg.lr, "seed": cfg.seed,
              "widths": list(cfg.widths), "max_shift": cfg.max_shift}
    title = title or f"Flower classifier ({len(trained.class_names)} classes, {size}×{size}) for FID"
    return Manifest(kind="classifier", recipe=RECIPE, title=title, config=config, dataset=dataset,
                    metrics=dict(trained.metrics),
                    notes="Features of its 'features' layer (global average pool) give a domain FID; see models/README.md.")


def save_classifier(trained: TrainedClassifier, out_dir: Path, dataset: dict, holdout: float) -> Path:
    return save_model(trained.model, classifier_manifest(trained, dataset, holdout), Path(out_dir), FILENAME)


def resolve_classifier(name_or_path: str | Path | None) -> Path:
    """None → the shipped classifier; else a model folder path or an installed classifier's name."""
    if name_or_path is not None and (Path(name_or_path).expanduser() / "manifest.json").exists():
        return Path(name_or_path).expanduser()
    for entry in installed_models("classifier"):
        if name_or_path is None or entry.name == str(name_or_path):
            return entry.path
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
        both = keras.Model(m.inputs, [m.get_layer(FEATURES_LAYER).output, m.output])
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

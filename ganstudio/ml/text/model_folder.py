"""Text encoder model folders (kind "text-encoder"): the joint model in one .keras file, and a manifest that carries
the tokeniser (kind, vocabulary or alphabet, max length), the embedding size and the measured retrieval."""

from __future__ import annotations

from pathlib import Path

from ganstudio.core.manifest import Manifest
from ganstudio.ml.modelfile import load_model, save_model
from ganstudio.ml.text.training import TrainedTextEncoder

KIND, FILENAME = "text-encoder", "joint_embedding.keras"
SHIPPED = "text-encoder-flowers"


def text_encoder_manifest(trained: TrainedTextEncoder, dataset: dict, split: dict) -> Manifest:
    """`split`: the hold-out and selection fractions, so evaluations pick the same photos."""
    cfg = trained.config
    image_size = int(trained.model.inputs[1].shape[1])
    config = {**trained.tokenizer.to_config(), "embedding_dim": cfg.dim, "image_size": image_size,
              "training": cfg.to_dict(), **split}
    title = f"Text encoder ({cfg.kind}-level, {cfg.dim}-d joint embedding with {config['image_size']} px photos)"
    notes = ("Captions → unit vectors for GAN-CLS; the image encoder beside it scores generated images "
             "(R-precision). See models/README.md.")
    return Manifest(kind=KIND, recipe=f"text-encoder-{cfg.kind}", title=title, config=config, dataset=dataset,
                    metrics=dict(trained.metrics), notes=notes)


def save_text_encoder(trained: TrainedTextEncoder, out_dir: Path, dataset: dict, split: dict,
                      float16: bool = False) -> Path:
    return save_model(trained.model, text_encoder_manifest(trained, dataset, split), Path(out_dir), FILENAME, float16)


def load_text_encoder(model_dir: Path):
    """(joint model in float32, manifest)."""
    return load_model(Path(model_dir), kind=KIND)

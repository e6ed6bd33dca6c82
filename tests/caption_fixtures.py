"""Tiny captioned data and an untrained tiny text encoder, for tests of the text → image path (GAN-CLS, the Prompt
page, `ganstudio prompt`): a sidecar folder of coloured squares (two classes) and a 32-d encoder folder that reads
them. Untrained on purpose: these tests check plumbing, not what the encoder learned."""

from __future__ import annotations

from pathlib import Path

import numpy as np

COLOURS = {"red": (220, 30, 30), "yellow": (240, 220, 30), "blue": (30, 60, 220), "white": (240, 240, 240)}
CLASSES = ("rose", "daisy")


def write_caption_folder(root: Path, per_class: int = 12, size: int = 16) -> Path:
    """root/<class>/<i>.png with a <i>.txt of three captions naming its colour and class."""
    from PIL import Image

    rng, names = np.random.default_rng(0), list(COLOURS)
    for c, flower in enumerate(CLASSES):
        (root / flower).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            colour = names[(i + c) % len(names)]
            rgb = np.clip(np.add(COLOURS[colour], rng.integers(-15, 16, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(np.broadcast_to(rgb, (size, size, 3)).copy()).save(root / flower / f"{i}.png")
            (root / flower / f"{i}.txt").write_text(f"a {colour} {flower}\nthis {flower} is {colour}\n{colour}\n")
    return root


def write_tiny_encoder(out: Path, image_size: int = 16) -> Path:
    from ganstudio.core.text.tokenizers import build_tokenizer
    from ganstudio.ml.text.model_folder import save_text_encoder
    from ganstudio.ml.text.training import TextEncoderConfig, TrainedTextEncoder, build_joint

    words = [f"a {c} {f}" for c in COLOURS for f in CLASSES] + ["this is"]
    cfg = TextEncoderConfig(kind="word", text_widths=(16,), image_widths=(), dim=32, max_len=8)
    tokenizer = build_tokenizer("word", words, 8)
    trained = TrainedTextEncoder(build_joint(cfg, tokenizer, image_size), tokenizer, cfg)
    return save_text_encoder(trained, out, {"name": "toy"}, {"holdout": 0.1, "select": 0.08})


TINY_GANCLS = dict(image_size=16, ngf=4, ndf=4, z_dim=4, ca_dim=4, batch_size=4, kernel=3, xla=False,
                   preview_count=4, preview_every=1000, checkpoint_every=1000)


def train_tiny_gancls(work: Path, steps: int = 2, with_trainer: bool = False, **overrides):
    """A GAN-CLS run of `steps` steps on the toy captions (hyperparameters over TINY_GANCLS); returns its exported
    model folder (run/model), and the trainer if asked."""
    from ganstudio.core.training.run_request import RunRequest
    from ganstudio.ml.training.run_builder import make_trainer, prepare_run

    data, encoder = write_caption_folder(work / "captions"), write_tiny_encoder(work / "encoder")
    request = RunRequest("gan-cls", str(data), work / "run", steps, {**TINY_GANCLS, "text_encoder": str(encoder), **overrides},
                         device="cpu", tensorboard=False, samples=False)
    trainer = make_trainer(prepare_run(request), [lambda event: None])
    trainer.run()
    return (work / "run" / "model", trainer) if with_trainer else work / "run" / "model"

"""Toy data and trained translators shared by test_translation_training.py and test_translation_session.py: pairs
derived from 12 synthetic photos (32 px), and the pix2pix, unet-l1 and pix2pixHD-lite recipes trained a few steps.
The fixtures are session-scoped and registered in conftest.py, so the two files train these models once between them.

pix2pix trains through `ganstudio train` in one subprocess with GANSTUDIO_DETERMINISTIC=1: a straight 4-step run, then
a copy cut back to its step-2 checkpoint and resumed. The resume runs in the same process as the straight run; that
is still a real restore, because the Trainer builds new networks, optimizers and generators and re-seeds every global
random source before reading the checkpoint (the cross-process mechanics are covered in test_engine_resume.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.sketch.palette import FLOWER_MATERIALS

SIZE, STEPS = 32, 4
PHOTO_NAMES = [f"{group}/{i:02d}.png" for group in ("daisy", "rose") for i in range(6)]
HOLDOUT = 0.3  # 4 of the 12 names hash into val (see test_sketch_derivation.py)
TINY = ["--image-size", str(SIZE), "--ngf", "8", "--ndf", "8", "--batch-size", "4", "--no-xla", "--no-tensorboard",
        "--quiet", "--preview-every", "2", "--checkpoint-every", "2", "--seed", "3"]
TINY_OVERRIDES = dict(image_size=SIZE, ngf=8, ndf=8, batch_size=4, xla=False, preview_every=2, checkpoint_every=2)


# ---- data -----------------------------------------------------------------------------------------------------------
def synthetic_photo(rng: np.random.Generator) -> np.ndarray:
    """40×48: a palette-coloured background, a rectangle and an ellipse in other palette colours, a little noise."""
    colors = np.asarray(FLOWER_MATERIALS.colors, np.int16)
    a, b, c = rng.choice(len(colors), 3, replace=False)
    img = np.empty((40, 48, 3), np.int16)
    img[:] = colors[a]
    y0, x0 = rng.integers(2, 20, 2)
    img[y0: y0 + 14, x0: x0 + 16] = colors[b]
    yy, xx = np.mgrid[:40, :48]
    cy, cx = rng.uniform(12, 30, 2)
    img[((yy - cy) / 9) ** 2 + ((xx - cx) / 7) ** 2 <= 1] = colors[c]
    return np.clip(img + rng.integers(-4, 5, img.shape), 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def translation_work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("translation")


@pytest.fixture(scope="session")
def translation_photos(translation_work) -> Path:
    rng = np.random.default_rng(11)
    for name in PHOTO_NAMES:
        (translation_work / "photos" / name).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(synthetic_photo(rng)).save(translation_work / "photos" / name)
    return translation_work / "photos"


@pytest.fixture(scope="session")
def edge_data(translation_photos, translation_work) -> Path:
    from ganstudio.core.sketch.pairs_builder import build_pairs  # here, so conftest's import of this file stays light

    report = build_pairs(translation_photos, translation_work / "edge-pairs", "edges", size=SIZE, holdout=HOLDOUT)
    assert (report.train, report.val) == (8, 4)
    return translation_work / "edge-pairs"


@pytest.fixture(scope="session")
def label_data(translation_photos, translation_work) -> Path:
    from ganstudio.core.sketch.pairs_builder import build_pairs

    build_pairs(translation_photos, translation_work / "label-pairs", "labels", size=SIZE, holdout=HOLDOUT)
    return translation_work / "label-pairs"


# ---- training -------------------------------------------------------------------------------------------------------
RESUME_SCRIPT = """
import shutil, sys
from pathlib import Path
from ganstudio import cli

data, straight, resumed, *tiny = sys.argv[1:]
assert cli.main(["train", "pix2pix", "--data", data, "--steps", "4", "--out", straight, *tiny]) == 0
shutil.copytree(straight, resumed)
shutil.rmtree(Path(resumed) / "checkpoints" / "ckpt-000000004")  # as a kill during step 3 or 4 would leave it
shutil.rmtree(Path(resumed) / "model")
assert cli.main(["train", "pix2pix", "--steps", "4", "--out", resumed, "--resume", "--no-tensorboard", "--quiet"]) == 0
"""


@pytest.fixture(scope="session")
def pix2pix_runs(edge_data, translation_work) -> tuple[Path, Path, str]:
    """(straight run, resumed run, stdout) of pix2pix trained by `ganstudio train` (see the module docstring)."""
    straight, resumed = translation_work / "pix2pix-straight", translation_work / "pix2pix-resumed"
    env = {**os.environ, "GANSTUDIO_DETERMINISTIC": "1"}
    done = subprocess.run([sys.executable, "-c", RESUME_SCRIPT, str(edge_data), str(straight), str(resumed), *TINY],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return straight, resumed, done.stdout


def train_in_process(recipe: str, data: Path, run_dir: Path, steps: int, **overrides) -> list:
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.trainer import Trainer

    loaded, config = prepare(recipe, resolve_dataset(str(data)), {**TINY_OVERRIDES, **overrides})
    events = []
    Trainer(config, loaded, run_dir, steps, sinks=[events.append], device="cpu").run()
    return events


@pytest.fixture(scope="session")
def unet_l1_events(edge_data, translation_work) -> list:
    return train_in_process("unet-l1", edge_data, translation_work / "unet-l1", 2)


@pytest.fixture(scope="session")
def pix2pixhd_events(label_data, translation_work) -> list:
    return train_in_process("pix2pixhd", label_data, translation_work / "pix2pixhd", 2, n_blocks=1, d_scales=2)


def model_dir_of(events: list) -> Path:
    from ganstudio.core.training.events import Finished

    finished = [e for e in events if isinstance(e, Finished)]
    assert finished and finished[-1].reason == "completed"
    return Path(finished[-1].model_dir)


@pytest.fixture(scope="session")
def edges_session(pix2pix_runs):
    from ganstudio.ml.inference.translator import TranslatorSession

    return TranslatorSession.load(pix2pix_runs[0] / "model")


@pytest.fixture(scope="session")
def labels_session(pix2pixhd_events):
    from ganstudio.ml.inference.translator import TranslatorSession

    return TranslatorSession.load(model_dir_of(pix2pixhd_events))


def manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text())

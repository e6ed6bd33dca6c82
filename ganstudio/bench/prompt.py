"""`ganstudio bench prompt`: keystroke → a grid of 8 flowers at 64², the Prompt page's work per keystroke.

Measured path: the Prompt page's service (workers/prompt_service.py: PromptService.render → latest-wins runner →
Qt signal → the grid image on the GUI thread), one keystroke after the other, the GUI thread waiting in its event
loop as in the app. `prompt_session_ms_p50` is the same work without the service (PromptSession.prompt for 8 fixed
z's plus the grid tiling, in this thread); when the service is not importable, prompt_ms_* fall back to that path
and stderr says so. The shipped text-to-image model when it is installed, else an untrained one of the shape
`ganstudio train gan-cls` makes on a CPU (lean preset, 64×64, with an untrained word-level text encoder of the
default size): speed does not depend on the weights.

Baseline in the same process: the Latent page's 8 images (the shipped z → image flower generator, or an untrained
one of its shape) with the same tiling; `prompt_vs_latent_ratio` is prompt p50 (direct path) over latent p50.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TYPED = "a red rose with green leaves"  # typed one character at a time; every keystroke asks for a new grid
GRID = 8


def _text_encoder(scratch: Path, image_size: int, dim: int | None = None) -> Path:
    """An untrained text encoder folder of the default architecture whose vocabulary is the flower captions'."""
    from ganstudio.core.captions.templates import vocabulary
    from ganstudio.core.text.tokenizers import build_tokenizer
    from ganstudio.ml.text.model_folder import save_text_encoder
    from ganstudio.ml.text.training import TextEncoderConfig, TrainedTextEncoder, build_joint

    words = [phrase for group in vocabulary().values() for phrase in group] + ["a photo of this with petals"]
    cfg = TextEncoderConfig(kind="word") if dim is None else TextEncoderConfig(kind="word", dim=dim)
    tokenizer = build_tokenizer("word", words)
    trained = TrainedTextEncoder(build_joint(cfg, tokenizer, image_size), tokenizer, cfg)
    return save_text_encoder(trained, scratch / "text-encoder", {"name": "bench (untrained)"},
                             {"holdout": 0.1, "select": 0.08})


def prompt_model(scratch: Path, image_size: int = 64, shipped: bool = True, **sizes) -> tuple[Path, str]:
    """(model folder, what it is): the shipped text-to-image model, else an untrained GAN-CLS of the CPU shape."""
    from ganstudio.core.errors import ModelFileError
    from ganstudio.ml.inference.prompt import resolve_prompt_model

    if shipped:
        try:
            return resolve_prompt_model(None), "the shipped model"
        except ModelFileError:
            pass
    from ganstudio.ml.recipes import get
    from ganstudio.ml.training.export import export_generator

    encoder_dim = sizes.pop("text_dim", None)
    encoder = _text_encoder(scratch, image_size, encoder_dim)
    from ganstudio.ml.inference.text_encoder import TextEncoderSession

    dim = TextEncoderSession.load(encoder).dim
    recipe = get("gan-cls")
    config = recipe.config(preset="lean", image_size=image_size, text_dim=dim, text_encoder=str(encoder), **sizes)
    folder = export_generator(recipe.build(config)["generator"], config, scratch / "model", steps=0)
    return folder, f"an untrained GAN-CLS ({image_size}², ngf {config.ngf}, {dim}-d word encoder)"


def keystrokes(count: int, text: str = TYPED) -> list[str]:
    """`count` prompts as typing produces them: every prefix of the text, again from the start when it is done."""
    prefixes = [text[:k] for k in range(1, len(text) + 1)]
    return [prefixes[i % len(prefixes)] for i in range(count)]


def _times_ms(work, inputs: list, warmup: int = 3) -> np.ndarray:
    for item in inputs[:warmup]:  # the first calls trace and warm caches
        work(item)
    times = []
    for item in inputs:
        start = time.perf_counter()
        work(item)
        times.append((time.perf_counter() - start) * 1000.0)
    return np.asarray(times)


def prompt_times(session, count: int, grid: int = GRID) -> np.ndarray:
    """ms per keystroke: the new text's grid of `grid` images under fixed z's, tiled to one uint8 image."""
    from ganstudio.core.grid import tile

    z = session.sample_z(grid, 0)
    return _times_ms(lambda text: tile(session.prompt(text, z)), keystrokes(count))


def service_times(folder: Path, count: int, grid: int = GRID) -> np.ndarray | None:
    """ms from a keystroke's render request to its grid image on the GUI thread, through the Prompt page's service;
    None when the service is not there to measure."""
    import os

    try:
        from ganstudio.workers.prompt_service import PromptRequest, PromptService, grid_image
    except ImportError:
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ganstudio.bench.latent import _run_for

    app = QApplication.instance() or QApplication(sys.argv[:1])
    service = PromptService()
    try:
        ready = []
        service.model_loaded.connect(ready.append)
        service.load_failed.connect(ready.append)
        service.load(str(folder))
        while not ready:
            _run_for(app, 0.05)
        if isinstance(ready[0], str):
            raise RuntimeError(ready[0])
        loop, delivered = QEventLoop(), []
        guard = QTimer(singleShot=True, interval=30_000)  # a failed render must not hang the benchmark
        guard.timeout.connect(loop.quit)

        def on_rendered(_request_id, result):
            grid_image(result.images)  # what the page does with a delivery before it shows it
            delivered.append(time.perf_counter())
            loop.quit()

        service.rendered.connect(on_rendered)
        service.render_failed.connect(lambda *_: loop.quit())
        times, texts = [], keystrokes(count)
        for i, text in enumerate(texts[:3] + texts):  # the first three warm caches
            before, start = len(delivered), time.perf_counter()
            service.render(PromptRequest(text=text, seed=0, count=grid))
            guard.start()
            loop.exec()
            if len(delivered) == before:
                raise RuntimeError(f"The Prompt service delivered nothing for {text!r}.")
            if i >= 3:
                times.append((delivered[-1] - start) * 1000.0)
        guard.stop()
        return np.asarray(times)
    finally:
        service.shutdown()


def latent_times(session, count: int, grid: int = GRID) -> np.ndarray:
    """ms per request of the Latent page's kind: `grid` images from nearby z's, tiled."""
    from ganstudio.core.grid import tile

    base = session.sample_z(grid, 0)
    steps = [base + 0.05 * i for i in range(count)]
    return _times_ms(lambda z: tile(session.generate(z)), steps)


def run(quick: bool = False, image_size: int = 64, shipped: bool = True, count: int | None = None, **sizes):
    """Lines prompt_ms_p50, prompt_ms_p95, prompt_session_ms_p50, latent_grid_ms_p50, prompt_vs_latent_ratio.
    image_size, shipped, count and sizes (GAN-CLS config overrides, e.g. ngf) let tests run it small."""
    from ganstudio.bench.latent import _model_folder
    from ganstudio.ml.inference.generator import GeneratorSession
    from ganstudio.ml.inference.prompt import PromptSession

    count = count or (60 if quick else 300)
    with tempfile.TemporaryDirectory(prefix="ganstudio-bench-prompt-") as scratch:
        folder, what = prompt_model(Path(scratch), image_size, shipped, **sizes)
        session = PromptSession.load(folder)
        direct = prompt_times(session, count)
        ms = service_times(folder, count)
        path = "the Prompt page's service (render request → grid image on the GUI thread)"
        if ms is None:
            ms, path = direct, "PromptSession.prompt + grid tiling in one thread (no Prompt service to measure)"
        print(f"note: prompt_ms measured through {path}, {GRID} images, on {what}", file=sys.stderr)
        yield "prompt_ms_p50", float(np.percentile(ms, 50)), "ms"
        yield "prompt_ms_p95", float(np.percentile(ms, 95)), "ms"
        yield "prompt_session_ms_p50", float(np.percentile(direct, 50)), "ms"
        latent_folder = Path(scratch) / "latent"
        if shipped:
            latent = GeneratorSession.load(_model_folder(latent_folder))
        else:  # tests: a tiny z → image generator of the prompt model's size
            from ganstudio.ml.recipes import get
            from ganstudio.ml.training.export import export_generator

            recipe = get("dcgan")
            config = recipe.config(image_size=image_size, **{k: v for k, v in sizes.items() if k in ("ngf", "ndf",
                                                                                                   "z_dim", "kernel")})
            latent = GeneratorSession.load(export_generator(recipe.build(config)["generator"], config,
                                                            latent_folder, steps=0))
        base = latent_times(latent, count)
        yield "latent_grid_ms_p50", float(np.percentile(base, 50)), "ms"
        yield "prompt_vs_latent_ratio", float(np.percentile(direct, 50) / max(np.percentile(base, 50), 1e-9)), "ratio"

"""Screenshots of every page in a real window (run under Xvfb: see packaging/README.md) for the README.

Usage: xvfb-run -a -s "-screen 0 1280x860x24" .venv/bin/python packaging/take_screenshots.py docs/screenshots
The Train page is captured mid-run (a short 32 px flower run); the Latent page with the default generator.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# The app's own data folder (autosaved canvases, runs) must not leak into the pictures, nor these runs into it.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="ganstudio-shots-")


def wait(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def grab(app, window, path: Path) -> None:
    wait(app, 0.5)
    window.screen().grabWindow(0).copy(window.frameGeometry()).save(str(path))
    print(f"wrote {path}")


def sketch_screenshots(app, window, out: Path, models: list[str] | None = None) -> None:
    """Each shipped translator (or the given model folders) with a drawing made by mouse drags, as a person paints."""
    from hand_drawing import draw_edge_flower, paint_label_flower

    from ganstudio.core.catalog import installed_models

    window.show_page("Sketch")
    page = window.pages["Sketch"]
    for path in models or [str(e.path) for e in installed_models("translator") if e.shipped]:
        loaded = []
        page.service.model_loaded.connect(loaded.append)
        page.load_model(path)
        end = time.monotonic() + 120
        while time.monotonic() < end and not loaded:
            wait(app, 0.2)  # TensorFlow's first import and the model load happen in the background
        page.service.model_loaded.disconnect(loaded.append)
        wait(app, 1)
        side = loaded[0].native_size if loaded else 128
        page.canvas.set_sketch(np.full((side, side), page.canvas.background, np.uint8))  # a fresh page, model's size
        page.fit_canvas()
        wait(app, 0.5)
        if page.canvas.mode == "labels":
            paint_label_flower(page.canvas, page.canvas.palette)
        else:
            draw_edge_flower(page.canvas)
        wait(app, 5)
        grab(app, window, out / f"sketch-{page.canvas.mode}.png")


def denoise_screenshots(app, window, out: Path, model: str | None = None) -> None:
    """The Denoise page on the shipped demo clip (held-out speaker and noise): denoised, scored against the clean one."""
    from ganstudio.paths import resources_dir

    demo = resources_dir() / "audio"
    window.show_page("Denoise")
    page = window.pages["Denoise"]
    if model:
        page.load_model(model)
    _wait_for(app, lambda: page.info is not None, 120)
    page.files.open_file(str(demo / "demo-noisy.wav"))
    _wait_for(app, lambda: page.original is not None, 60)
    page.files.load_reference(str(demo / "demo-clean.wav"))
    page.denoise()
    _wait_for(app, lambda: page.result is not None and page.metrics.value("stoi", "denoised") != "—", 120)
    wait(app, 1)
    grab(app, window, out / "denoise.png")


def train_speech_screenshot(app, window, out: Path, corpus: str, tmp: Path) -> None:
    """The Train page training SEGAN on a speech corpus: spectrogram previews of the validation clips and their player."""
    window.show_page("Train")
    train = window.pages["Train"]
    form = train.form
    form.recipe_box.setCurrentIndex(form.recipe_box.findData("segan"))
    form.select_dataset(corpus)
    train.start_run(overrides={"preview_every": 25, "batch_size": 8, "stft_weight": 1.0}, steps=400,
                    run_dir=tmp / "speech-run")
    _wait_for(app, lambda: train.clip_player.isVisible() and train.clip_player.step >= 50, 240)
    wait(app, 2)
    grab(app, window, out / "train-speech.png")
    train.shutdown()


def _wait_for(app, condition, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not condition():
        wait(app, 0.2)


def single_page(out: Path, page: str, models: list[str]) -> int:
    """`take_screenshots.py OUT --sketch-only MODEL…`, `--denoise-only [MODEL]` or `--train-speech-only CORPUS`: one
    page, e.g. to look at a model still in training."""
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ganstudio.ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    window = MainWindow(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window.move(0, 0)
    window.show()
    window.start_background_warmup()  # as the app does: the status bar shows the device
    if page == "sketch":
        sketch_screenshots(app, window, out, models)
    elif page == "train-speech":
        train_speech_screenshot(app, window, out, models[0], tmp)
    else:
        denoise_screenshots(app, window, out, models[0] if models else None)
    window.close()
    return 0


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ganstudio.ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    window = MainWindow(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window.move(0, 0)
    window.show()
    window.start_background_warmup()  # as the app does: the status bar shows the device
    window.show_page("Train")
    train = window.pages["Train"]
    train.start_run("dcgan", "flowers", {"image_size": 32, "ngf": 32, "ndf": 32, "kernel": 4, "preview_every": 20},
                    steps=400, run_dir=tmp / "run")
    wait(app, 90)  # long enough for curves and a few preview grids
    grab(app, window, out / "train.png")
    train.shutdown()
    window.show_page("Latent")
    wait(app, 20)  # model load + GANSpace directions in the background
    grab(app, window, out / "latent.png")
    sketch_screenshots(app, window, out)
    denoise_screenshots(app, window, out)
    window.close()
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for flag in ("--sketch-only", "--denoise-only", "--train-speech-only"):
        if flag in sys.argv:
            raise SystemExit(single_page(target, flag[2:-5], sys.argv[sys.argv.index(flag) + 1:]))
    raise SystemExit(main(target))

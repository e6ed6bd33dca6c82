"""The Sketch page's file row: load a photo (its edge or label map becomes the canvas), open/save label maps and
edge sketches, export the render and the sketch|render pair. Reading runs on the service's job thread; every write
is atomic, and a bad file leaves the canvas as it was, with a message saying why. Save dialogs open in the last
folder used with a name already filled in (sketch-<model>-<date>.png), so exporting twice never needs typing."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from ganstudio.core.errors import StudioError
from ganstudio.core.sketch.edges import edges_from_photo
from ganstudio.core.sketch.labels import labels_from_photo
from ganstudio.core.sketch.palette import Palette
from ganstudio.core.sketch.sketch_io import (load_label_map, load_photo, load_sketch, save_label_map, save_png,
                                             save_sketch, side_by_side)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)"
PNG_FILTER = "PNG images (*.png)"


def suggested_name(what: str, model_path: str | None = None, now: float | None = None) -> str:
    """"sketch-<model>-<YYYYmmdd-HHMMSS>-<what>.png": the model folder's name (a run's model/ by its run), a stamp,
    so that exports sort by time and never overwrite one another, and what the file holds (empty for the render)."""
    folder = Path(model_path or "")
    model = folder.parent.name if folder.name == "model" else folder.name
    model = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-").removeprefix("sketch-")  # not "sketch-sketch-…"
    parts = ["sketch", model, time.strftime("%Y%m%d-%H%M%S", time.localtime(now)), what]
    return "-".join(p for p in parts if p) + ".png"


def derive_from_photo(path: str, kind: str, palette: Palette | None, side: int) -> tuple[np.ndarray, list[str]]:
    """A photo → its edge map or label map at the model's size (numpy; runs on a worker thread)."""
    rgb, notes = load_photo(path, side)
    sketch = labels_from_photo(rgb, palette) if kind == "labels" else edges_from_photo(rgb)
    what = "label map" if kind == "labels" else "edge map"
    return sketch, notes + [f"Computed the {what} of {Path(path).name}; paint over it, or Undo to go back."]


def open_sketch_file(path: str, kind: str, palette: Palette | None) -> tuple[np.ndarray, list[str]]:
    sketch, notes = load_label_map(path, palette) if kind == "labels" else load_sketch(path)
    return sketch, notes + [f"Opened {Path(path).name}."]


class SketchFileBar(QWidget):
    """Buttons acting on the page's canvas and last render (`page` is the SketchPage)."""

    def __init__(self, page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page = page
        self.photo_button = QPushButton("Load photo…")
        self.photo_button.setToolTip("Compute the photo's edge map or label map as a starting canvas (undoable)")
        self.open_button, self.save_button = QPushButton("Open…"), QPushButton("Save…")
        self.export_button, self.pair_button = QPushButton("Export render…"), QPushButton("Export pair…")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.photo_button, self.open_button, self.save_button, self.export_button, self.pair_button):
            row.addWidget(button)
        row.addStretch(1)
        self.photo_button.clicked.connect(self._on_photo_clicked)
        self.open_button.clicked.connect(self.ask_and_open)
        self.save_button.clicked.connect(self.ask_and_save)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.pair_button.clicked.connect(self._on_pair_clicked)
        self.set_kind("labels")
        self.set_render_available(False)

    def set_kind(self, kind: str) -> None:
        what = "label map" if kind == "labels" else "sketch"
        self.open_button.setText(f"Open {what}…")
        self.save_button.setText(f"Save {what}…")

    def set_render_available(self, available: bool) -> None:
        self.export_button.setEnabled(available)
        self.pair_button.setEnabled(available)

    def _ask(self, title: str, save: bool, name_filter: str = PNG_FILTER, what: str = "") -> str:
        """A file dialog starting in the last folder used (a save suggests suggested_name(what)); ".png" is added to
        a typed name; "" if cancelled."""
        settings = self._page.settings
        start = str(settings.value("sketch/dir", str(Path.home())))
        if save:
            start = str(Path(start) / suggested_name(what, self._page.info.path if self._page.info else None))
        ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = ask(self, title, start, name_filter)
        if not path:
            return ""
        settings.setValue("sketch/dir", str(Path(path).parent))
        return path if not save or path.lower().endswith(".png") else path + ".png"

    # ---- reading (on the job thread) ----------------------------------------------------------------------------
    def load_photo(self, path: str) -> None:
        page = self._page
        side = page.info.native_size if page.info else max(page.canvas.array.shape)
        page.service.run_job(f"canvas-{page.kind}", derive_from_photo, path, page.kind, page.palette, side)
        page.show_status(f"Computing the canvas from {Path(path).name} …")

    def open_file(self, path: str) -> None:
        page = self._page
        page.service.run_job(f"canvas-{page.kind}", open_sketch_file, path, page.kind, page.palette)

    def _on_photo_clicked(self) -> None:
        path = self._ask("Load a photo", save=False, name_filter=IMAGE_FILTER)
        if path:
            self.load_photo(path)

    def ask_and_open(self) -> None:
        path = self._ask("Open a label map" if self._page.kind == "labels" else "Open a sketch", save=False,
                         name_filter=IMAGE_FILTER)
        if path:
            self.open_file(path)

    # ---- writing (small PNGs: done at once, atomically) ---------------------------------------------------------
    def save_file(self, path: str) -> bool:
        page = self._page
        save = save_label_map if page.kind == "labels" else save_sketch
        return self._write(lambda: save(page.canvas.array, path), f"Saved {path}")

    def export_render(self, path: str) -> bool:
        return self._write(lambda: save_png(self._page.last_render, path), f"Exported the render to {path}")

    def export_pair(self, path: str) -> bool:
        pair = side_by_side(self._page.canvas.display_rgb(), self._page.last_render)
        return self._write(lambda: save_png(pair, path), f"Exported the pair to {path}")

    def _write(self, write, done: str) -> bool:
        try:
            write()
        except StudioError as err:
            self._page.show_status(str(err), error=True)
            return False
        self._page.show_status(done)
        return True

    def ask_and_save(self) -> None:
        labels = self._page.kind == "labels"
        path = self._ask("Save the label map (PNG of class ids)" if labels else "Save the sketch", save=True,
                         what="labels" if labels else "edges")
        if path:
            self.save_file(path)

    def _on_export_clicked(self) -> None:
        path = self._ask("Export the render", save=True)
        if path and self._page.last_render is not None:
            self.export_render(path)

    def _on_pair_clicked(self) -> None:
        path = self._ask("Export sketch | render", save=True, what="pair")
        if path and self._page.last_render is not None:
            self.export_pair(path)
